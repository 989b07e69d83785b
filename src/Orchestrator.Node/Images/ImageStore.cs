using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Orchestrator.Node.Images;

/// <summary>
/// The node's images on disk under one root directory:
/// <code>
/// blobs/sha256/&lt;hex&gt;   manifests, indexes, configs and layers, content-addressed
/// ingest/              downloads in progress (renamed into blobs/ once verified)
/// rootfs/&lt;hex&gt;         unpacked root filesystem per platform manifest digest
/// references.json      normalized reference -> manifest digest
/// </code>
/// Concurrent requests for one reference share one pull, for one blob one download, for one manifest one unpack.
/// </summary>
public sealed partial class ImageStore : IDisposable
{
    private readonly RegistryClient registry;
    private readonly ILogger logger;
    private readonly ContentStore content;
    private readonly ReferenceIndex references;
    private readonly LayerUnpacker unpacker;
    private readonly string rootfsDirectory;
    private readonly SingleFlight<Image> pulls = new();
    private readonly SingleFlight<bool> downloads = new();
    private readonly SingleFlight<string> unpacks = new();
    // Shared pulls run until done or until the store is disposed, whichever comes first, not until one caller gives up.
    private readonly CancellationTokenSource lifetime = new();

    public ImageStore(string root, RegistryClient registry, ILogger? logger = null)
    {
        Root = root;
        this.registry = registry;
        this.logger = logger ?? NullLogger.Instance;
        content = new ContentStore(root);
        references = new ReferenceIndex(root);
        unpacker = new LayerUnpacker(this.logger);
        rootfsDirectory = Path.Combine(root, "rootfs");
        Directory.CreateDirectory(rootfsDirectory);
    }

    public string Root { get; }

    /// <summary>Normalized references this store has pulled or imported, with their manifest digests.</summary>
    public IReadOnlyDictionary<string, string> References => references.Snapshot();

    /// <summary>
    /// The image for <paramref name="reference"/> as a kubelet would get it: Always asks the registry (and
    /// downloads only blobs not already here), IfNotPresent uses a local copy without any network call,
    /// Never fails with <see cref="ImagePullFailure.NotPresent"/> when there is none.
    /// </summary>
    public async Task<Image> EnsureImageAsync(string reference, PullPolicy policy, CancellationToken token)
    {
        if (!ImageReference.TryParse(reference, registry.Options.DefaultRegistry, out var parsed, out var error))
            throw new ImagePullException(ImagePullFailure.InvalidReference, reference, error);
        if (policy != PullPolicy.Always && await TryGetImageAsync(parsed, token).ConfigureAwait(false) is { } local)
            return local;
        if (policy == PullPolicy.Never)
            throw new ImagePullException(ImagePullFailure.NotPresent, parsed.ToString(),
                $"Container image \"{reference}\" is not present with pull policy of Never");
        return await PullAsync(parsed, token).ConfigureAwait(false);
    }

    /// <summary>Whether a pull of <paramref name="reference"/> would find its manifest here already (kubelet's "already present on machine").</summary>
    public bool IsPresent(string reference) =>
        ImageReference.TryParse(reference, registry.Options.DefaultRegistry, out var parsed, out _)
        && references.Find(parsed) is { } digest && content.Contains(digest);

    /// <summary>Resolves <paramref name="reference"/> at its registry and makes it present here.</summary>
    public Task<Image> PullAsync(ImageReference reference, CancellationToken token) =>
        pulls.RunAsync(reference.ToString(), () => PullCoreAsync(reference, lifetime.Token), token);

    /// <summary>The image if everything it needs is already on disk (unpacking it if only the rootfs is missing); never touches the network.</summary>
    public async Task<Image?> TryGetImageAsync(ImageReference reference, CancellationToken token)
    {
        var manifestDigest = references.Find(reference);
        if (manifestDigest is null && reference.Digest is { } pinned && content.Contains(pinned))
            manifestDigest = await LocalPlatformManifestAsync(pinned, token).ConfigureAwait(false);
        if (manifestDigest is not { } digest || !content.Contains(digest))
            return null;
        var manifest = OciJson.Deserialize<OciManifest>(await content.ReadAllAsync(digest, token).ConfigureAwait(false), "image manifest");
        if (!Directory.Exists(RootFsPath(digest)) && !manifest.Layers.Append(manifest.Config).All(d => content.Contains(Digest.Parse(d.Digest))))
            return null;
        return await BuildImageAsync(reference, digest, manifest, token).ConfigureAwait(false);
    }

    public void Dispose()
    {
        lifetime.Cancel();
        lifetime.Dispose();
    }

    private string RootFsPath(Digest manifest) => Path.Combine(rootfsDirectory, manifest.Hex);

    private async Task<Digest?> LocalPlatformManifestAsync(Digest digest, CancellationToken token)
    {
        var bytes = await content.ReadAllAsync(digest, token).ConfigureAwait(false);
        if (!MediaTypes.IsIndex(OciJson.SniffMediaType(bytes)))
            return digest;
        var index = OciJson.Deserialize<OciIndex>(bytes, "image index");
        var chosen = PlatformMatcher.Choose(index.Manifests, registry.Options.Os, registry.Options.Architecture);
        return chosen is not null && Digest.TryParse(chosen.Digest, out var manifest) ? manifest : null;
    }

    /// <summary>Reads the config and makes sure the root filesystem is unpacked.</summary>
    private async Task<Image> BuildImageAsync(ImageReference reference, Digest manifestDigest, OciManifest manifest, CancellationToken token)
    {
        var configDigest = Digest.Parse(manifest.Config.Digest);
        var config = OciJson.Deserialize<OciImageConfig>(await content.ReadAllAsync(configDigest, token).ConfigureAwait(false), "image config");
        var rootfs = await unpacks.RunAsync(manifestDigest.ToString(), () => UnpackAsync(reference, manifestDigest, manifest, lifetime.Token), token)
            .ConfigureAwait(false);
        return new Image(reference, configDigest, manifestDigest, rootfs, config.Config ?? new ImageConfig());
    }
}
