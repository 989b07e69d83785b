using System.Formats.Tar;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Node.Images;

/// <summary>Importing an OCI archive: a tar of an OCI image layout (oci-layout, index.json, blobs/sha256/...).</summary>
public sealed partial class ImageStore
{
    /// <summary>containerd's annotation carrying the full image name in exported archives.</summary>
    public const string ContainerdImageNameAnnotation = "io.containerd.image.name";

    public const string RefNameAnnotation = "org.opencontainers.image.ref.name";

    public async Task<IReadOnlyList<Image>> ImportArchiveAsync(string archivePath, CancellationToken token)
    {
        await using var stream = new FileStream(archivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        return await ImportArchiveAsync(stream, token).ConfigureAwait(false);
    }

    /// <summary>
    /// Stores every blob of the archive (verified against its file name), then unpacks each manifest the
    /// index names and records its name. Entries without a full name (only a bare tag) are stored but not named.
    /// </summary>
    public async Task<IReadOnlyList<Image>> ImportArchiveAsync(Stream archive, CancellationToken token)
    {
        byte[]? indexJson = null;
        var sawLayout = false;
        await using (var reader = new TarReader(archive, leaveOpen: true))
        {
            while (await reader.GetNextEntryAsync(copyData: false, token).ConfigureAwait(false) is { } entry)
            {
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null)
                    continue;
                var name = RootPath.Normalize(entry.Name);
                if (name == "index.json")
                {
                    using var buffer = new MemoryStream();
                    await entry.DataStream.CopyToAsync(buffer, token).ConfigureAwait(false);
                    indexJson = buffer.ToArray();
                }
                else if (name == "oci-layout")
                    sawLayout = true;
                else if (name.StartsWith("blobs/sha256/", StringComparison.Ordinal) && Digest.TryParse("sha256:" + name["blobs/sha256/".Length..], out var digest)
                         && !content.Contains(digest))
                    await content.IngestVerifiedAsync(digest, entry.Length, entry.DataStream, token).ConfigureAwait(false);
            }
        }
        if (indexJson is null || !sawLayout)
            throw new InvalidDataException("not an OCI archive: oci-layout or index.json is missing");

        var images = new List<Image>();
        foreach (var descriptor in OciJson.Deserialize<OciIndex>(indexJson, "index.json").Manifests)
        {
            if (await ImportManifestAsync(descriptor, token).ConfigureAwait(false) is { } image)
                images.Add(image);
        }
        return images;
    }

    private async Task<Image?> ImportManifestAsync(OciDescriptor descriptor, CancellationToken token)
    {
        var digest = Digest.Parse(descriptor.Digest);
        if (!content.Contains(digest) || await LocalPlatformManifestAsync(digest, token).ConfigureAwait(false) is not { } manifestDigest
            || !content.Contains(manifestDigest))
            throw new InvalidDataException($"OCI archive lacks manifest {descriptor.Digest} for {registry.Options.Os}/{registry.Options.Architecture}");
        var manifest = OciJson.Deserialize<OciManifest>(await content.ReadAllAsync(manifestDigest, token).ConfigureAwait(false), "image manifest");
        if (manifest.Layers.Append(manifest.Config).FirstOrDefault(d => !content.Contains(Digest.Parse(d.Digest))) is { } absent)
            throw new InvalidDataException($"OCI archive lacks blob {absent.Digest}");

        var name = ImageName(descriptor);
        if (name is null)
        {
            logger.LogWarning("Imported manifest {Digest} has no image name; it is stored but not tagged", manifestDigest);
            return null;
        }
        var image = await BuildImageAsync(name, manifestDigest, manifest, token).ConfigureAwait(false);
        await references.SetAsync(name, manifestDigest, token).ConfigureAwait(false);
        return image;
    }

    /// <summary>The full name from containerd's annotation, or ref.name when that is a full reference rather than a bare tag.</summary>
    private ImageReference? ImageName(OciDescriptor descriptor)
    {
        var annotations = descriptor.Annotations ?? [];
        var candidate = annotations.GetValueOrDefault(ContainerdImageNameAnnotation)
            ?? (annotations.GetValueOrDefault(RefNameAnnotation) is { } refName && (refName.Contains('/') || refName.Contains(':')) ? refName : null);
        return candidate is not null && ImageReference.TryParse(candidate, registry.Options.DefaultRegistry, out var reference, out _) ? reference : null;
    }
}
