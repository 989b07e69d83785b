using System.Formats.Tar;
using System.Text;

namespace Orchestrator.Node.Images;

/// <summary>Writes a built image as an OCI archive (a tar of an image layout), the format `ImageStore.ImportArchiveAsync` reads.</summary>
public static class OciArchiveWriter
{
    public static async Task WriteAsync(BuiltImage image, ImageReference name, Stream destination, CancellationToken token)
    {
        var index = new OciIndex
        {
            MediaType = MediaTypes.OciIndex,
            Manifests =
            [
                image.Manifest.Descriptor(new Dictionary<string, string>
                {
                    // Both, like `ctr export`: the full name for importers, the tag for the layout spec.
                    [ImageStore.ContainerdImageNameAnnotation] = name.ToString(),
                    [ImageStore.RefNameAnnotation] = name.Tag ?? ImageReference.DefaultTag,
                }),
            ],
        };
        await using var writer = new TarWriter(destination, TarEntryFormat.Pax, leaveOpen: true);
        await WriteFileAsync(writer, "oci-layout", Encoding.UTF8.GetBytes("""{"imageLayoutVersion":"1.0.0"}"""), token).ConfigureAwait(false);
        await WriteFileAsync(writer, "index.json", OciJson.Serialize(index), token).ConfigureAwait(false);
        await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, "blobs/"), token).ConfigureAwait(false);
        await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, "blobs/sha256/"), token).ConfigureAwait(false);
        foreach (var blob in image.Blobs)
            await WriteFileAsync(writer, $"blobs/sha256/{blob.Digest.Hex}", blob.Content, token).ConfigureAwait(false);
    }

    private static Task WriteFileAsync(TarWriter writer, string name, ReadOnlyMemory<byte> data, CancellationToken token) =>
        writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            Mode = LayerWriter.FileMode,
            DataStream = new MemoryStream(data.ToArray()),
        }, token);
}
