using Microsoft.Extensions.Logging;

namespace Orchestrator.Node.Images;

/// <summary>Pulling: resolve at the registry, download missing blobs, unpack, record the reference.</summary>
public sealed partial class ImageStore
{
    private async Task<Image> PullCoreAsync(ImageReference reference, CancellationToken token)
    {
        logger.LogInformation("Pulling image {Image}", reference);
        var resolved = await registry.ResolveAsync(reference, token).ConfigureAwait(false);
        if (resolved.Index is { } index)
            await content.PutAsync(index.Content, token).ConfigureAwait(false);
        await content.PutAsync(resolved.Blob.Content, token).ConfigureAwait(false);

        var manifest = resolved.Manifest;
        var missing = manifest.Layers.Prepend(manifest.Config)
            .Where(d => !Digest.TryParse(d.Digest, out var digest) || !content.Contains(digest))
            .ToList();
        // Layers download in parallel; HttpClient's connection limit keeps this polite.
        await Task.WhenAll(missing.Select(d => DownloadAsync(reference, d, token))).ConfigureAwait(false);

        var image = await BuildImageAsync(reference, resolved.Blob.Digest, manifest, token).ConfigureAwait(false);
        await references.SetAsync(reference, resolved.Blob.Digest, token).ConfigureAwait(false);
        logger.LogInformation("Pulled image {Image} as {Digest} ({Missing} blobs downloaded)", reference, resolved.Blob.Digest, missing.Count);
        return image;
    }

    private Task DownloadAsync(ImageReference reference, OciDescriptor descriptor, CancellationToken token)
    {
        if (!Digest.TryParse(descriptor.Digest, out var digest))
            throw new ImagePullException(ImagePullFailure.Unsupported, reference.ToString(), $"unsupported digest \"{descriptor.Digest}\"");
        return downloads.RunAsync(digest.ToString(), async () =>
        {
            await content.WriteAsync(digest, (stream, t) => registry.DownloadBlobAsync(reference, descriptor, stream, t), token)
                .ConfigureAwait(false);
            return true;
        }, token);
    }

    /// <summary>Applies the layers into a private directory and renames it into place, so a rootfs that exists is complete.</summary>
    private async Task<string> UnpackAsync(ImageReference reference, Digest manifestDigest, OciManifest manifest, CancellationToken token)
    {
        var target = RootFsPath(manifestDigest);
        if (Directory.Exists(target))
            return target;
        var staging = Path.Combine(rootfsDirectory, $".unpack-{manifestDigest.Hex}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            foreach (var layer in manifest.Layers)
            {
                await using var stream = content.OpenRead(Digest.Parse(layer.Digest));
                await unpacker.ApplyAsync(staging, stream, layer.MediaType, token).ConfigureAwait(false);
            }
            UnixNative.SetMode(staging, (UnixFileMode)0b111_101_101); // 0755: the container's / must be traversable.
            Directory.Move(staging, target);
            return target;
        }
        catch (IOException) when (Directory.Exists(target))
        {
            return target; // another store process over the same root finished first; its copy is as good.
        }
        catch (NotSupportedException e)
        {
            throw new ImagePullException(ImagePullFailure.Unsupported, reference.ToString(), e.Message, e);
        }
        catch (Exception e) when (e is InvalidDataException or IOException && !token.IsCancellationRequested)
        {
            throw new ImagePullException(ImagePullFailure.Unsupported, reference.ToString(), $"failed to extract layer: {e.Message}", e);
        }
        finally
        {
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
        }
    }
}
