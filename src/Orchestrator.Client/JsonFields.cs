using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Orchestrator.Client;

/// <summary>
/// Lenient reads of objects from the API for controllers and agents: a missing or mistyped field reads
/// as null or empty, as a Go client sees a zero struct field, so a surprising object never crashes a loop.
/// </summary>
public static class JsonFields
{
    public static JsonNode? At(JsonNode? node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not JsonObject obj || !obj.TryGetPropertyValue(key, out node))
                return null;
        }
        return node;
    }

    public static JsonObject? Obj(JsonNode? node, params string[] path) => At(node, path) as JsonObject;

    public static string? StrOrNull(JsonNode? node, params string[] path) =>
        At(node, path) is JsonValue value && value.GetValueKind() == JsonValueKind.String
            ? value.TryGetValue(out string? text) ? text : JsonSerializer.Deserialize<string>(value.ToJsonString())
            : null;

    public static string Str(JsonNode? node, params string[] path) => StrOrNull(node, path) ?? "";

    /// <summary>An integral number at the path, or null (in-memory nodes may wrap int or double, so go through the text).</summary>
    public static long? IntOrNull(JsonNode? node, params string[] path) =>
        At(node, path) is JsonValue value && value.GetValueKind() == JsonValueKind.Number
            && long.TryParse(value.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)
            ? integer
            : null;

    public static bool? Bool(JsonNode? node, params string[] path) =>
        At(node, path) is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? value.GetValue<bool>() : null;

    public static IEnumerable<JsonObject> Objects(JsonNode? node, params string[] path) =>
        At(node, path) is JsonArray array ? array.OfType<JsonObject>() : [];

    public static IEnumerable<string> Strings(JsonNode? node, params string[] path) =>
        At(node, path) is JsonArray array
            ? array.OfType<JsonValue>().Where(v => v.GetValueKind() == JsonValueKind.String).Select(v => v.GetValue<string>())
            : [];

    public static DateTimeOffset? Time(JsonNode? node, params string[] path) =>
        StrOrNull(node, path) is { Length: > 0 } text
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : null;

    public static string Name(JsonObject obj) => Str(obj, "metadata", "name");

    public static bool IsDeleting(JsonObject obj) => At(obj, "metadata", "deletionTimestamp") is JsonValue;

    /// <summary>The condition of <paramref name="type"/> in status.conditions, if any.</summary>
    public static JsonObject? Condition(JsonObject obj, string type) =>
        Objects(obj, "status", "conditions").FirstOrDefault(c => Str(c, "type") == type);

    /// <summary>RFC 3339 with seconds, as metav1.Time is written.</summary>
    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
