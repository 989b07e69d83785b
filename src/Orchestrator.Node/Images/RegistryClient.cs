using System.Net;
using System.Net.Http.Headers;

namespace Orchestrator.Node.Images;

/// <summary>A manifest or index exactly as the registry sent it, with its verified digest.</summary>
public sealed record ManifestBlob(Digest Digest, string MediaType, byte[] Content);

/// <summary>A reference resolved to one platform's manifest; <see cref="Index"/> is set when the reference named an index.</summary>
public sealed record ResolvedManifest(ManifestBlob Blob, OciManifest Manifest, ManifestBlob? Index);

/// <summary>
/// The pull side of the distribution API v2 (distribution-spec "Pulling"): manifests by tag or digest,
/// index resolution to this node's platform, blobs streamed with digest verification. Plain HTTP only
/// for registries listed as insecure; bearer-token challenges are answered anonymously.
/// </summary>
public sealed partial class RegistryClient
{
    private static readonly string[] ManifestAccept =
        [MediaTypes.OciIndex, MediaTypes.OciManifest, MediaTypes.DockerManifestList, MediaTypes.DockerManifest];

    private readonly HttpClient http;

    public RegistryClient(HttpClient http, RegistryOptions? options = null)
    {
        this.http = http;
        Options = options ?? new RegistryOptions();
    }

    public RegistryOptions Options { get; }

    /// <summary>Fetches the manifest of <paramref name="reference"/>; an index is resolved to the configured platform's manifest.</summary>
    public async Task<ResolvedManifest> ResolveAsync(ImageReference reference, CancellationToken token)
    {
        var top = await GetManifestAsync(reference, reference.ManifestReference, token).ConfigureAwait(false);
        if (!MediaTypes.IsIndex(top.MediaType))
            return new ResolvedManifest(top, ParseManifest(reference, top), null);

        var index = Parse<OciIndex>(reference, top.Content, "image index");
        var chosen = PlatformMatcher.Choose(index.Manifests, Options.Os, Options.Architecture)
            ?? throw new ImagePullException(ImagePullFailure.NotFound, reference.ToString(),
                $"no match for platform in manifest {top.Digest}: not found");
        var blob = await GetManifestAsync(reference, chosen.Digest, token).ConfigureAwait(false);
        return new ResolvedManifest(blob, ParseManifest(reference, blob), top);
    }

    /// <summary>GET /v2/&lt;name&gt;/manifests/&lt;reference&gt;, verified against the requested digest or Docker-Content-Digest.</summary>
    public async Task<ManifestBlob> GetManifestAsync(ImageReference reference, string manifestReference, CancellationToken token)
    {
        var image = reference.ToString();
        using var response = await SendAsync(reference, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, Url(reference, $"manifests/{manifestReference}"));
            foreach (var type in ManifestAccept)
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
            return request;
        }, token).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
            throw new ImagePullException(ImagePullFailure.NotFound, image, $"failed to resolve reference \"{image}\": {image}: not found");
        await EnsureSuccessAsync(response, image, token).ConfigureAwait(false);

        var content = await ReadLimitedAsync(response, Options.MaxManifestBytes, image, token).ConfigureAwait(false);
        var actual = Digest.Compute(content);
        // Pinned by digest: the content must hash to it. By tag: the registry's header must agree with the bytes.
        var expected = Digest.TryParse(manifestReference, out var pinned) ? pinned
            : response.Headers.TryGetValues("Docker-Content-Digest", out var values) && Digest.TryParse(values.FirstOrDefault(), out var header) ? header
            : actual;
        if (expected != actual)
            throw new ImagePullException(ImagePullFailure.DigestMismatch, image, $"manifest digest mismatch: expected {expected}, got {actual}");

        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (!MediaTypes.IsIndex(mediaType) && !MediaTypes.IsManifest(mediaType))
            mediaType = OciJson.SniffMediaType(content);
        if (!MediaTypes.IsIndex(mediaType) && !MediaTypes.IsManifest(mediaType))
            throw new ImagePullException(ImagePullFailure.Unsupported, image, $"unsupported manifest media type \"{mediaType}\"");
        return new ManifestBlob(actual, mediaType!, content);
    }

    /// <summary>Streams a blob into <paramref name="destination"/>, failing with <see cref="ImagePullFailure.DigestMismatch"/> unless its size and digest match.</summary>
    public async Task DownloadBlobAsync(ImageReference reference, OciDescriptor descriptor, Stream destination, CancellationToken token)
    {
        var image = reference.ToString();
        if (!Digest.TryParse(descriptor.Digest, out var expected))
            throw new ImagePullException(ImagePullFailure.Unsupported, image, $"unsupported digest \"{descriptor.Digest}\"");
        using var response = await SendAsync(reference, () => new HttpRequestMessage(HttpMethod.Get, Url(reference, $"blobs/{expected}")), token)
            .ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
            throw new ImagePullException(ImagePullFailure.NotFound, image, $"failed to fetch blob {expected}: not found");
        await EnsureSuccessAsync(response, image, token).ConfigureAwait(false);

        (Digest Digest, long Size) copied;
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
            copied = await DigestingCopy.CopyAsync(body, destination, descriptor.Size, token).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            throw new ImagePullException(ImagePullFailure.DigestMismatch, image, $"failed to fetch blob {expected}: {e.Message}", e);
        }
        catch (Exception e) when (e is HttpRequestException or IOException && !token.IsCancellationRequested)
        {
            throw new ImagePullException(ImagePullFailure.Network, image, $"failed to fetch blob {expected}: {e.Message}", e);
        }
        if (copied.Size != descriptor.Size || copied.Digest != expected)
            throw new ImagePullException(ImagePullFailure.DigestMismatch, image,
                $"failed to fetch blob {expected}: unexpected commit digest {copied.Digest} (size {copied.Size}, expected {descriptor.Size})");
    }

    private OciManifest ParseManifest(ImageReference reference, ManifestBlob blob)
    {
        var manifest = Parse<OciManifest>(reference, blob.Content, "image manifest");
        if (manifest.SchemaVersion != 2)
            throw new ImagePullException(ImagePullFailure.Unsupported, reference.ToString(), $"unsupported manifest schema version {manifest.SchemaVersion}");
        return manifest;
    }

    private static T Parse<T>(ImageReference reference, byte[] content, string what)
    {
        try
        {
            return OciJson.Deserialize<T>(content, what);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidDataException)
        {
            throw new ImagePullException(ImagePullFailure.Unsupported, reference.ToString(), $"invalid {what}: {e.Message}", e);
        }
    }

    private static async Task<byte[]> ReadLimitedAsync(HttpResponseMessage response, int limit, string image, CancellationToken token)
    {
        if (response.Content.Headers.ContentLength > limit)
            throw new ImagePullException(ImagePullFailure.Unsupported, image, $"manifest larger than {limit} bytes");
        await using var body = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        try
        {
            await DigestingCopy.CopyAsync(body, buffer, limit, token).ConfigureAwait(false);
        }
        catch (InvalidDataException)
        {
            throw new ImagePullException(ImagePullFailure.Unsupported, image, $"manifest larger than {limit} bytes");
        }
        return buffer.ToArray();
    }

    private Uri Url(ImageReference reference, string path) => new($"{BaseUrl(reference.Registry)}/v2/{reference.Repository}/{path}");

    /// <summary>Docker Hub's API lives on registry-1.docker.io, not on the name users write.</summary>
    private string BaseUrl(string registry)
    {
        var host = registry == ImageReference.DockerHub ? "registry-1.docker.io" : registry;
        return (Options.IsInsecure(registry) ? "http://" : "https://") + host;
    }
}
