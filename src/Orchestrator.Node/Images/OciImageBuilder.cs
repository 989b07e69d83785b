using System.Formats.Tar;
using System.IO.Compression;

namespace Orchestrator.Node.Images;

/// <summary>
/// Builds an OCI image in memory from layers written with <see cref="LayerWriter"/>: gzip layer blobs,
/// a config whose rootfs.diff_ids are the uncompressed tars' digests, and an OCI manifest.
/// </summary>
public sealed class OciImageBuilder
{
    private readonly List<(OciBlob Blob, Digest DiffId, string CreatedBy)> layers = [];
    private readonly DateTimeOffset created;
    private ImageConfig config = new();
    private string architecture;
    private string os = "linux";

    /// <param name="created">The time stamped on files and the config; fixed by default so builds are reproducible.</param>
    public OciImageBuilder(DateTimeOffset? created = null, string? architecture = null)
    {
        this.created = created ?? DateTimeOffset.UnixEpoch;
        this.architecture = architecture ?? new RegistryOptions().Architecture;
    }

    public OciImageBuilder WithConfig(ImageConfig value)
    {
        config = value;
        return this;
    }

    public OciImageBuilder WithPlatform(string os, string architecture)
    {
        this.os = os;
        this.architecture = architecture;
        return this;
    }

    public OciImageBuilder AddLayer(Action<LayerWriter> write, string createdBy = "orchestrator image builder")
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Ustar, leaveOpen: true))
            write(new LayerWriter(writer, created));
        var uncompressed = tar.ToArray();
        using var gzip = new MemoryStream();
        using (var compressor = new GZipStream(gzip, CompressionLevel.SmallestSize, leaveOpen: true))
            compressor.Write(uncompressed);
        var compressed = gzip.ToArray();
        layers.Add((new OciBlob(MediaTypes.OciLayerGzip, Digest.Compute(compressed), compressed), Digest.Compute(uncompressed), createdBy));
        return this;
    }

    public BuiltImage Build()
    {
        var configBlob = Blob(MediaTypes.OciConfig, new OciImageConfig
        {
            Architecture = architecture,
            Os = os,
            Created = created,
            Config = config,
            RootFs = new OciRootFs { DiffIds = layers.Select(l => l.DiffId.ToString()).ToList() },
            History = layers.Select(l => new OciHistory { Created = created, CreatedBy = l.CreatedBy }).ToList(),
        });
        var manifest = Blob(MediaTypes.OciManifest, new OciManifest
        {
            MediaType = MediaTypes.OciManifest,
            Config = configBlob.Descriptor(),
            Layers = layers.Select(l => l.Blob.Descriptor()).ToList(),
        });
        return new BuiltImage(manifest, configBlob, layers.Select(l => l.Blob).ToList());
    }

    private static OciBlob Blob<T>(string mediaType, T value)
    {
        var bytes = OciJson.Serialize(value);
        return new OciBlob(mediaType, Digest.Compute(bytes), bytes);
    }
}
