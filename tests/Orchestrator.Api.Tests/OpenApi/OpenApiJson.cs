using System.Text.Json.Nodes;

namespace Orchestrator.Api.Tests.OpenApi;

/// <summary>Reads served documents the way kubectl does: parse the JSON, follow $ref and single allOf.</summary>
internal static class OpenApiJson
{
    private const string SchemaPrefix = "#/components/schemas/";

    public static JsonObject Parse(ReadOnlyMemory<byte> json) => JsonNode.Parse(json.Span)!.AsObject();

    public static JsonObject Schemas(JsonObject document) => document["components"]!["schemas"]!.AsObject();

    /// <summary>The name of the schema whose x-kubernetes-group-version-kind lists the kind.</summary>
    public static string? SchemaNameOfKind(JsonObject document, string group, string version, string kind) =>
        Schemas(document)
            .Where(s => s.Value?["x-kubernetes-group-version-kind"] is JsonArray kinds && kinds.Any(k =>
                (string?)k!["group"] == group && (string?)k["version"] == version && (string?)k["kind"] == kind))
            .Select(s => s.Key)
            .SingleOrDefault();

    /// <summary>Follows a $ref, or an allOf holding a single $ref, to the named schema.</summary>
    public static JsonObject Resolve(JsonObject document, JsonObject schema)
    {
        if (schema["allOf"] is JsonArray { Count: 1 } allOf)
        {
            return Resolve(document, allOf[0]!.AsObject());
        }

        return schema["$ref"] is JsonValue reference
            ? Schemas(document)[((string)reference!)[SchemaPrefix.Length..]]!.AsObject()
            : schema;
    }

    public static string? RefName(JsonObject schema) =>
        schema["allOf"] is JsonArray { Count: 1 } allOf ? RefName(allOf[0]!.AsObject())
        : ((string?)schema["$ref"])?[SchemaPrefix.Length..];

    /// <summary>Every "$ref" value anywhere in <paramref name="node"/>.</summary>
    public static IEnumerable<string> References(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => p.Key == "$ref" && p.Value is JsonValue v ? [(string)v!] : References(p.Value)),
        JsonArray array => array.SelectMany(References),
        _ => [],
    };

    /// <summary>(path, method, operation) for every operation in the document.</summary>
    public static IEnumerable<(string Path, string Method, JsonObject Operation)> Operations(JsonObject document) =>
        document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject()
            .Where(m => m.Key is "get" or "put" or "post" or "patch" or "delete")
            .Select(m => (path.Key, m.Key, m.Value!.AsObject())));

    public static IEnumerable<string> ParameterNames(JsonObject operation) =>
        operation["parameters"] is JsonArray parameters ? parameters.Select(p => (string)p!["name"]!) : [];
}
