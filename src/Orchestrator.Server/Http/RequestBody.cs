using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;
using Orchestrator.Api.Protobuf;

namespace Orchestrator.Server.Http;

/// <summary>Reads request bodies: JSON, YAML, Kubernetes protobuf (objects) and the four patch types.</summary>
public static class RequestBody
{
    public const int MaxBytes = 3 * 1024 * 1024;

    public const string JsonPatch = Resources.PatchTypes.Json;
    public const string MergePatch = Resources.PatchTypes.Merge;
    public const string StrategicMergePatch = Resources.PatchTypes.StrategicMerge;
    public const string ApplyPatch = Resources.PatchTypes.Apply;
    public const string Protobuf = "application/vnd.kubernetes.protobuf";

    private static readonly string[] ObjectTypes = ["application/json", "application/yaml", Protobuf];

    public static readonly string[] PatchTypes = Resources.PatchTypes.All;

    /// <summary>The media type without parameters, lower-cased; "" when absent.</summary>
    public static string MediaType(HttpRequest request) =>
        (request.ContentType ?? "").Split(';')[0].Trim().ToLowerInvariant();

    /// <summary>Reads an object body (create, update, subresource posts).</summary>
    public static async Task<JsonObject> ReadObjectAsync(HttpRequest request, CancellationToken token)
    {
        var bytes = await ReadBytesAsync(request, token);
        var node = MediaType(request) switch
        {
            "" or "application/json" or "*/*" => ParseJson(bytes),
            "application/yaml" or "application/x-yaml" or "text/yaml" => ParseYaml(bytes),
            Protobuf => KubernetesProtobuf.Decode(bytes),
            _ => throw ApiException.UnsupportedMediaType(ObjectTypes),
        };
        return node as JsonObject ?? throw ApiException.BadRequest("the request body must be a JSON object");
    }

    /// <summary>Reads a patch body: a JSON document, or YAML for apply patches.</summary>
    public static async Task<(string Type, JsonNode? Patch)> ReadPatchAsync(HttpRequest request, CancellationToken token)
    {
        var type = MediaType(request);
        if (!PatchTypes.Contains(type))
            throw ApiException.UnsupportedMediaType(PatchTypes);
        var bytes = await ReadBytesAsync(request, token);
        return (type, type == ApplyPatch ? ParseYaml(bytes) : ParseJson(bytes));
    }

    private static async Task<byte[]> ReadBytesAsync(HttpRequest request, CancellationToken token)
    {
        if (request.ContentLength > MaxBytes)
            throw TooLarge();
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, token)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBytes)
                throw TooLarge();
        }
        return buffer.ToArray();
    }

    private static ApiException TooLarge() =>
        new(Status.Failed(413, "RequestEntityTooLarge", $"the request body is larger than {MaxBytes} bytes"));

    public static JsonNode? ParseJson(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
            throw ApiException.BadRequest("the request body is empty");
        try
        {
            return JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { MaxDepth = 100 });
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"the request body is not valid JSON: {e.Message}");
        }
    }

    private static JsonNode? ParseYaml(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        if (text.TrimStart().StartsWith('{'))
            return ParseJson(bytes);
        try
        {
            return YamlJson.Parse(text);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw ApiException.BadRequest($"the request body is not valid YAML: {e.Message}");
        }
    }
}
