using System.Text.Json.Serialization;

namespace Orchestrator.Node.Images;

/// <summary>An OCI content descriptor: what a manifest or index says about the blob it points at.</summary>
public sealed record OciDescriptor
{
    [JsonPropertyName("mediaType")] public required string MediaType { get; init; }
    [JsonPropertyName("digest")] public required string Digest { get; init; }
    [JsonPropertyName("size")] public required long Size { get; init; }
    [JsonPropertyName("platform")] public OciPlatform? Platform { get; init; }
    [JsonPropertyName("annotations")] public Dictionary<string, string>? Annotations { get; init; }
    [JsonPropertyName("urls")] public List<string>? Urls { get; init; }
}

public sealed record OciPlatform
{
    [JsonPropertyName("architecture")] public required string Architecture { get; init; }
    [JsonPropertyName("os")] public required string Os { get; init; }
    [JsonPropertyName("variant")] public string? Variant { get; init; }
}
