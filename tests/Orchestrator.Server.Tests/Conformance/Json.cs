using System.Text.Json.Nodes;

namespace Orchestrator.Server.Tests.Conformance;

/// <summary>RFC 6901 pointers over JsonNode, for the table's mutations.</summary>
internal static class Json
{
    public static string[] Tokens(string pointer) =>
        [.. pointer.Split('/').Skip(1).Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];

    /// <summary>The value at the pointer, or null when a step of it is missing.</summary>
    public static JsonNode? At(JsonNode? node, string pointer)
    {
        foreach (var token in Tokens(pointer))
        {
            node = node switch
            {
                JsonObject o => o[token],
                JsonArray a when int.TryParse(token, out var i) && i < a.Count => a[i],
                _ => null,
            };
        }
        return node;
    }

    /// <summary>Sets the value at the pointer, making the objects on the way.</summary>
    public static JsonObject With(JsonObject root, string pointer, JsonNode? value)
    {
        var tokens = Tokens(pointer);
        JsonObject current = root;
        foreach (var token in tokens[..^1])
        {
            if (current[token] is not JsonObject next)
                current[token] = next = [];
            current = next;
        }
        current[tokens[^1]] = value?.DeepClone();
        return root;
    }

    /// <summary>The nested object that sets the pointer's field: a merge patch, a strategic merge patch, or an apply body.</summary>
    public static JsonObject Patch(string pointer, JsonNode? value) => With([], pointer, value);

    public static bool Same(JsonNode? a, JsonNode? b) => JsonNode.DeepEquals(a, b);

    public static string Text(JsonNode? node) => node?.ToJsonString() ?? "(absent)";
}
