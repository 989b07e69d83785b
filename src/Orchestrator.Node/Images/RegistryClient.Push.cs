using System.Net;
using System.Net.Http.Headers;

namespace Orchestrator.Node.Images;

/// <summary>
/// The push side (distribution-spec "Pushing"): monolithic blob uploads (POST then PUT ?digest=) and
/// manifest PUT. Used to seed a local registry with images the project builds itself.
/// </summary>
public sealed partial class RegistryClient
{
    /// <summary>Pushes every blob of <paramref name="image"/>, then its manifest under <paramref name="target"/>'s tag.</summary>
    public async Task<Digest> PushAsync(BuiltImage image, ImageReference target, CancellationToken token)
    {
        foreach (var blob in image.Layers.Append(image.Config))
            await PushBlobAsync(target, blob.Digest, blob.Content, token).ConfigureAwait(false);
        return await PushManifestAsync(target, image.Manifest.MediaType, image.Manifest.Content, token).ConfigureAwait(false);
    }

    public async Task PushBlobAsync(ImageReference repository, Digest digest, ReadOnlyMemory<byte> content, CancellationToken token)
    {
        using (var head = await SendAsync(repository, () => new HttpRequestMessage(HttpMethod.Head, Url(repository, $"blobs/{digest}")), token, "pull,push")
                   .ConfigureAwait(false))
        {
            if (head.IsSuccessStatusCode)
                return; // already there: registries deduplicate by digest.
        }

        Uri location;
        using (var start = await SendAsync(repository, () => new HttpRequestMessage(HttpMethod.Post, Url(repository, "blobs/uploads/")), token, "pull,push")
                   .ConfigureAwait(false))
        {
            await EnsurePushedAsync(start, HttpStatusCode.Accepted, $"start upload of {digest}", token).ConfigureAwait(false);
            location = new Uri(start.RequestMessage!.RequestUri!, start.Headers.Location
                ?? throw new HttpRequestException($"registry gave no upload Location for {digest}"));
        }

        // The Location may already carry state in its query (docker-registry's _state), so append.
        var put = new Uri(location + (location.Query.Length > 0 ? "&" : "?") + "digest=" + Uri.EscapeDataString(digest.ToString()));
        using var done = await SendAsync(repository, () => new HttpRequestMessage(HttpMethod.Put, put)
        {
            Content = Octets(content),
        }, token, "pull,push").ConfigureAwait(false);
        await EnsurePushedAsync(done, HttpStatusCode.Created, $"upload {digest}", token).ConfigureAwait(false);
    }

    public async Task<Digest> PushManifestAsync(ImageReference target, string mediaType, ReadOnlyMemory<byte> content, CancellationToken token)
    {
        using var response = await SendAsync(target, () =>
        {
            var body = Octets(content);
            body.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
            return new HttpRequestMessage(HttpMethod.Put, Url(target, $"manifests/{target.ManifestReference}")) { Content = body };
        }, token, "pull,push").ConfigureAwait(false);
        await EnsurePushedAsync(response, HttpStatusCode.Created, $"put manifest {target}", token).ConfigureAwait(false);
        return Digest.Compute(content.Span);
    }

    private static HttpContent Octets(ReadOnlyMemory<byte> content)
    {
        var body = new ReadOnlyMemoryContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return body;
    }

    private static async Task EnsurePushedAsync(HttpResponseMessage response, HttpStatusCode expected, string what, CancellationToken token)
    {
        if (response.StatusCode == expected || response.IsSuccessStatusCode)
            return;
        var body = await response.Content.ReadAsStringAsync(token).ConfigureAwait(false);
        throw new HttpRequestException($"{what}: {(int)response.StatusCode} {response.ReasonPhrase} {Truncate(body)}".TrimEnd(), null, response.StatusCode);
    }
}
