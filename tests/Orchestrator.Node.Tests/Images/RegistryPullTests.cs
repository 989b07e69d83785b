using Orchestrator.Node.Images;
using Orchestrator.Testing;
using Xunit;

namespace Orchestrator.Node.Tests.Images;

/// <summary>Pulls from a real docker-registry on loopback: the project's busybox image and small hand-built images.</summary>
public sealed class RegistryPullTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private TestRegistry Registry => fixture.Registry;

    [Fact]
    public async Task PullsAndUnpacksBusybox()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        var pushed = await BusyboxImage.PushAsync(Registry, "busybox", "latest", cancel.Token);
        using var root = new TempDirectory();
        using var store = NewStore(root.Path, out _);

        var image = await store.EnsureImageAsync("busybox", PullPolicy.IfNotPresent, cancel.Token);

        Assert.Equal(pushed, image.Reference);
        var busybox = Path.Combine(image.RootFsPath, "bin", "busybox");
        Assert.True(File.Exists(busybox));
        Assert.True(File.GetUnixFileMode(busybox).HasFlag(UnixFileMode.UserExecute), "busybox is executable");
        Assert.Equal(new FileInfo(BusyboxImageBuilder.DefaultBinary).Length, new FileInfo(busybox).Length);
        Assert.Equal("busybox", new FileInfo(Path.Combine(image.RootFsPath, "bin", "sh")).LinkTarget);
        Assert.True(Directory.Exists(Path.Combine(image.RootFsPath, "proc")));
        Assert.True(File.GetUnixFileMode(Path.Combine(image.RootFsPath, "tmp")).HasFlag(UnixFileMode.StickyBit));
        Assert.Equal(["sh"], image.Config.Cmd!);
        Assert.Contains(image.Config.Env!, e => e.StartsWith("PATH=", StringComparison.Ordinal));
        Assert.StartsWith($"{Registry.Address}/busybox@sha256:", image.RepoDigest);
        Assert.Equal(image.ManifestDigest.ToString(), store.References[pushed.ToString()]);
    }

    [Fact]
    public async Task IfNotPresentMakesNoNetworkCallWhenTheImageIsHere()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        await BusyboxImage.PushAsync(Registry, "cached", "v1", cancel.Token);
        using var root = new TempDirectory();
        using var store = NewStore(root.Path, out var requests);
        var first = await store.EnsureImageAsync("cached:v1", PullPolicy.IfNotPresent, cancel.Token);
        var sent = requests.Requests.Count;
        Assert.True(sent > 0);

        var second = await store.EnsureImageAsync("cached:v1", PullPolicy.IfNotPresent, cancel.Token);
        var never = await store.EnsureImageAsync("cached:v1", PullPolicy.Never, cancel.Token);

        Assert.Equal(sent, requests.Requests.Count);
        Assert.Equal(first.ManifestDigest, second.ManifestDigest);
        Assert.Equal(first.RootFsPath, never.RootFsPath);

        // A store reopened over the same directory finds it too: the reference index is on disk.
        using var reopened = NewStore(root.Path, out var reopenedRequests);
        Assert.Equal(first.Id, (await reopened.EnsureImageAsync("cached:v1", PullPolicy.IfNotPresent, cancel.Token)).Id);
        Assert.Empty(reopenedRequests.Requests);

        // Always asks the registry again but downloads no blob it has already.
        await store.EnsureImageAsync("cached:v1", PullPolicy.Always, cancel.Token);
        Assert.Equal(0, requests.Requests.Skip(sent).Count(r => r.Contains("/blobs/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task MissingImageIsNotFound()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        using var root = new TempDirectory();
        using var store = NewStore(root.Path, out _);

        var error = await Assert.ThrowsAsync<ImagePullException>(() => store.EnsureImageAsync("nosuch:1.0", PullPolicy.IfNotPresent, cancel.Token));

        Assert.Equal(ImagePullFailure.NotFound, error.Reason);
        Assert.Equal("ErrImagePull", error.WaitingReason);
        Assert.Equal($"failed to pull and unpack image \"{Registry.Address}/nosuch:1.0\": failed to resolve reference " +
                     $"\"{Registry.Address}/nosuch:1.0\": {Registry.Address}/nosuch:1.0: not found", error.Message);
    }

    [Fact]
    public async Task NeverWithoutTheImageIsNotPresent()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        using var root = new TempDirectory();
        using var store = NewStore(root.Path, out var requests);

        var error = await Assert.ThrowsAsync<ImagePullException>(() => store.EnsureImageAsync("absent", PullPolicy.Never, cancel.Token));

        Assert.Equal(ImagePullFailure.NotPresent, error.Reason);
        Assert.Equal("ErrImageNeverPull", error.WaitingReason);
        Assert.Equal("Container image \"absent\" is not present with pull policy of Never", error.Message);
        Assert.Empty(requests.Requests);
    }

    [Fact]
    public async Task UnreachableRegistryIsANetworkError()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        using var root = new TempDirectory();
        var closed = $"127.0.0.1:{FreePorts.Next()}";
        using var http = new HttpClient();
        using var store = new ImageStore(root.Path, new RegistryClient(http, new RegistryOptions { DefaultRegistry = closed, InsecureRegistries = [closed] }));

        var error = await Assert.ThrowsAsync<ImagePullException>(() => store.EnsureImageAsync("busybox", PullPolicy.Always, cancel.Token));

        Assert.Equal(ImagePullFailure.Network, error.Reason);
    }

    [Fact]
    public async Task CorruptBlobIsRejectedByDigest()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        // Its own content: the registry stores blobs once per digest, so corrupting a shared layer would break other tests.
        var built = new OciImageBuilder().AddLayer(l => l.File("a", "a")).AddLayer(l => l.File("corrupt", Guid.NewGuid().ToString())).Build();
        await Registry.PushAsync(built, "corrupt", "v1", cancel.Token);
        // Same length, different bytes: only the digest check can notice.
        var data = Registry.BlobDataPath(built.Layers[1].Digest);
        var bytes = await File.ReadAllBytesAsync(data, cancel.Token);
        bytes[^1] ^= 0xFF;
        await File.WriteAllBytesAsync(data, bytes, cancel.Token);
        using var root = new TempDirectory();
        using var store = NewStore(root.Path, out _);

        var error = await Assert.ThrowsAsync<ImagePullException>(() => store.EnsureImageAsync("corrupt:v1", PullPolicy.IfNotPresent, cancel.Token));

        Assert.Equal(ImagePullFailure.DigestMismatch, error.Reason);
        Assert.Contains(built.Layers[1].Digest.ToString(), error.Message);
        Assert.False(File.Exists(Path.Combine(root.Path, "blobs", "sha256", built.Layers[1].Digest.Hex)), "a corrupt blob is never committed");
        Assert.Empty(Directory.GetFiles(Path.Combine(root.Path, "ingest")));
        Assert.Empty(store.References);
    }

    [Fact]
    public async Task AppliesWhiteoutsLinksAndModesInLayerOrder()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        await Registry.PushAsync(TwoLayerImage(), "layered", "v1", cancel.Token);
        using var root = new TempDirectory();
        using var store = NewStore(root.Path, out _);

        var image = await store.EnsureImageAsync($"{Registry.Address}/layered:v1", PullPolicy.IfNotPresent, cancel.Token);
        string At(string path) => Path.Combine(image.RootFsPath, path);

        Assert.False(File.Exists(At("etc/removed")), ".wh.removed deletes the lower file");
        Assert.Equal("kept\n", File.ReadAllText(At("etc/kept")));
        Assert.False(Directory.Exists(At("gone")), ".wh.gone deletes a whole directory");
        Assert.Equal(["new"], Directory.GetFileSystemEntries(At("opaque")).Select(p => Path.GetFileName(p)).OfType<string>().ToArray());
        Assert.Equal("replaced\n", File.ReadAllText(At("etc/replaced")));
        Assert.False(Directory.EnumerateFiles(image.RootFsPath, ".wh.*", SearchOption.AllDirectories).Any(), "whiteout markers never appear");
        Assert.Equal("kept", new FileInfo(At("etc/link")).LinkTarget);
        Assert.Equal("kept\n", File.ReadAllText(At("etc/hard")));
        Assert.Equal((UnixFileMode)0b111_000_000 | UnixFileMode.SetUser, File.GetUnixFileMode(At("bin/tool")));
        Assert.Equal(["/bin/tool"], image.Config.Entrypoint!);
        Assert.Equal("/work", image.Config.WorkingDir);
        Assert.Equal("65534", image.Config.User);
    }

    [Fact]
    public async Task ConcurrentPullsShareOneDownload()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        var built = BusyboxImage.Build();
        await Registry.PushAsync(built, "shared", "v1", cancel.Token);
        using var root = new TempDirectory();
        using var store = NewStore(root.Path, out var requests);

        var images = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => store.EnsureImageAsync("shared:v1", PullPolicy.Always, cancel.Token)));

        Assert.Single(images.Select(i => i.RootFsPath).Distinct());
        Assert.Equal(1, requests.Count($"/blobs/{built.Layers[0].Digest}"));
    }

    [Fact]
    public async Task PullsByDigestAndResolvesAnIndexToThisPlatform()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        var native = TwoLayerImage();
        var foreign = new OciImageBuilder().WithPlatform("linux", "s390x").AddLayer(l => l.File("foreign", "x")).Build();
        var nativeRef = await Registry.PushAsync(native, "multi", "native", cancel.Token);
        await Registry.PushAsync(foreign, "multi", "foreign", cancel.Token);
        var options = new RegistryOptions();
        var index = OciJsonForTests.Index(
            (foreign.Manifest, new OciPlatform { Os = "linux", Architecture = "s390x" }),
            (native.Manifest, new OciPlatform { Os = "linux", Architecture = options.Architecture }));
        using (var http = new HttpClient())
            await new RegistryClient(http, Registry.ClientOptions)
                .PushManifestAsync(ImageReference.Parse($"{Registry.Address}/multi:all"), MediaTypes.OciIndex, index, cancel.Token);
        using var root = new TempDirectory();
        using var store = NewStore(root.Path, out _);

        var viaIndex = await store.EnsureImageAsync("multi:all", PullPolicy.IfNotPresent, cancel.Token);
        var viaDigest = await store.EnsureImageAsync($"multi@{native.Manifest.Digest}", PullPolicy.IfNotPresent, cancel.Token);

        Assert.Equal(native.Manifest.Digest, viaIndex.ManifestDigest);
        Assert.Equal(native.Manifest.Digest, viaDigest.ManifestDigest);
        Assert.Equal(viaIndex.RootFsPath, viaDigest.RootFsPath);
        Assert.Equal(nativeRef.Name, viaDigest.Reference.Name);
    }

    /// <summary>Layer 1 lays down files; layer 2 deletes, hides and replaces some of them.</summary>
    internal static BuiltImage TwoLayerImage() => new OciImageBuilder()
        .WithConfig(new ImageConfig { Entrypoint = ["/bin/tool"], WorkingDir = "/work", User = "65534" })
        .AddLayer(l => l
            .Directory("etc").File("etc/kept", "kept\n").File("etc/removed", "removed\n").File("etc/replaced", "old\n")
            .Directory("gone").File("gone/file", "x")
            .Directory("opaque").File("opaque/old1", "1").Directory("opaque/olddir").File("opaque/olddir/f", "2")
            .Directory("bin").File("bin/tool", "#!/bin/sh\n", LayerWriter.ExecutableMode))
        .AddLayer(l => l
            // The new entry comes before the opaque marker here: a whiteout must not hide what its own layer adds.
            .File("opaque/new", "new").OpaqueWhiteout("opaque")
            .Whiteout("etc/removed").Whiteout("gone")
            .File("etc/replaced", "replaced\n")
            .Symlink("etc/link", "kept").HardLink("etc/hard", "etc/kept")
            .File("bin/tool", "#!/bin/sh\n", (UnixFileMode)0b111_000_000 | UnixFileMode.SetUser))
        .Build();

    private ImageStore NewStore(string root, out CountingHandler requests)
    {
        requests = new CountingHandler();
        // The store outlives this method; the handler is disposed with the process, which is fine for a test.
        return new ImageStore(root, new RegistryClient(new HttpClient(requests), Registry.ClientOptions));
    }
}
