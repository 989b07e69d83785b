using System.Text.Json.Serialization;

namespace Orchestrator.Node.Images;

/// <summary>The image configuration blob (OCI image-spec config.md); field names are the spec's, PascalCase inside "config".</summary>
public sealed record OciImageConfig
{
    [JsonPropertyName("architecture")] public required string Architecture { get; init; }
    [JsonPropertyName("os")] public required string Os { get; init; }
    [JsonPropertyName("created")] public DateTimeOffset? Created { get; init; }
    [JsonPropertyName("config")] public ImageConfig? Config { get; init; }
    [JsonPropertyName("rootfs")] public required OciRootFs RootFs { get; init; }
    [JsonPropertyName("history")] public List<OciHistory>? History { get; init; }
}

/// <summary>What the runtime needs to start a container from the image.</summary>
public sealed record ImageConfig
{
    [JsonPropertyName("User")] public string? User { get; init; }
    [JsonPropertyName("Env")] public List<string>? Env { get; init; }
    [JsonPropertyName("Entrypoint")] public List<string>? Entrypoint { get; init; }
    [JsonPropertyName("Cmd")] public List<string>? Cmd { get; init; }
    [JsonPropertyName("WorkingDir")] public string? WorkingDir { get; init; }
    [JsonPropertyName("StopSignal")] public string? StopSignal { get; init; }
    [JsonPropertyName("Labels")] public Dictionary<string, string>? Labels { get; init; }
}

public sealed record OciRootFs
{
    [JsonPropertyName("type")] public string Type { get; init; } = "layers";
    [JsonPropertyName("diff_ids")] public required List<string> DiffIds { get; init; }
}

public sealed record OciHistory
{
    [JsonPropertyName("created")] public DateTimeOffset? Created { get; init; }
    [JsonPropertyName("created_by")] public string? CreatedBy { get; init; }
    [JsonPropertyName("empty_layer")] public bool? EmptyLayer { get; init; }
}
