using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orchestrator.Node.Images;

/// <summary>Serializer settings for manifests, indexes and configs: names come from attributes, nulls are left out.</summary>
internal static class OciJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNameCaseInsensitive = true,
    };

    public static T Deserialize<T>(ReadOnlySpan<byte> json, string what) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new InvalidDataException($"{what} is empty");

    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    /// <summary>Reads only "mediaType" (and whether "manifests" exists) to tell an index from a manifest.</summary>
    public static string? SniffMediaType(ReadOnlySpan<byte> json)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        var root = document.RootElement;
        if (root.TryGetProperty("mediaType", out var mediaType) && mediaType.ValueKind == JsonValueKind.String)
            return mediaType.GetString();
        if (root.TryGetProperty("manifests", out _))
            return MediaTypes.OciIndex;
        return root.TryGetProperty("config", out _) ? MediaTypes.OciManifest : null;
    }
}
