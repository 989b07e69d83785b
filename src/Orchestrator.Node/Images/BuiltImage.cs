namespace Orchestrator.Node.Images;

/// <summary>One blob of a built image, held in memory (the images we build are a few MB).</summary>
public sealed record OciBlob(string MediaType, Digest Digest, ReadOnlyMemory<byte> Content)
{
    public OciDescriptor Descriptor(Dictionary<string, string>? annotations = null) =>
        new() { MediaType = MediaType, Digest = Digest.ToString(), Size = Content.Length, Annotations = annotations };
}

/// <summary>An image made by <see cref="OciImageBuilder"/>: push it to a registry or write it as an OCI archive.</summary>
public sealed record BuiltImage(OciBlob Manifest, OciBlob Config, IReadOnlyList<OciBlob> Layers)
{
    public IEnumerable<OciBlob> Blobs => Layers.Append(Config).Append(Manifest);
}
