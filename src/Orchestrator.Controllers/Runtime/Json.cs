using System.Globalization;
using System.Text.Json.Nodes;

namespace Orchestrator.Controllers.Runtime;

/// <summary>Null-tolerant reads of cached JSON objects, and the timestamps Kubernetes writes.</summary>
public static class Json
{
    public static JsonNode? At(this JsonNode? node, params string[] path)
    {
        foreach (var part in path)
            node = node is JsonObject obj ? obj[part] : null;
        return node;
    }

    public static string? Str(this JsonNode? node, params string[] path) =>
        node.At(path) is JsonValue value && value.TryGetValue(out string? text) ? text : null;

    // Values built in code keep their CLR type (an int is not readable as long), parsed ones are JSON numbers.
    public static long? Long(this JsonNode? node, params string[] path) => node.At(path) switch
    {
        JsonValue value when value.TryGetValue(out long number) => number,
        JsonValue value when value.TryGetValue(out int number) => number,
        _ => null,
    };

    public static bool? Bool(this JsonNode? node, params string[] path) =>
        node.At(path) is JsonValue value && value.TryGetValue(out bool flag) ? flag : null;

    public static JsonObject? Obj(this JsonNode? node, params string[] path) => node.At(path) as JsonObject;

    public static JsonArray? Arr(this JsonNode? node, params string[] path) => node.At(path) as JsonArray;

    /// <summary>The named child object, created when missing.</summary>
    public static JsonObject Child(this JsonObject obj, string name)
    {
        if (obj[name] is JsonObject child)
            return child;
        child = new JsonObject();
        obj[name] = child;
        return child;
    }

    public static string Name(this JsonObject obj) => obj.Str("metadata", "name") ?? "";

    public static string? Namespace(this JsonObject obj) => obj.Str("metadata", "namespace");

    public static string Uid(this JsonObject obj) => obj.Str("metadata", "uid") ?? "";

    public static bool IsDeleting(this JsonObject obj) => obj.At("metadata", "deletionTimestamp") is not null;

    public static DateTimeOffset? Time(this JsonNode? node, params string[] path) =>
        node.Str(path) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;

    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static IEnumerable<string> Finalizers(this JsonObject obj) =>
        (obj.Arr("metadata", "finalizers") ?? []).Select(f => f?.GetValue<string>() ?? "");

    public static IEnumerable<JsonObject> OwnerReferences(this JsonObject obj) =>
        (obj.Arr("metadata", "ownerReferences") ?? []).OfType<JsonObject>();

    /// <summary>The controller ownerReference's uid, if any.</summary>
    public static string? ControllerUid(this JsonObject obj) =>
        obj.OwnerReferences().FirstOrDefault(r => r.Bool("controller") == true)?.Str("uid");

    /// <summary>A deep copy, safe to change (cached objects are shared and read-only).</summary>
    public static JsonObject Copy(this JsonObject obj) => (JsonObject)obj.DeepClone();

    /// <summary>Compares by content, ignoring property order.</summary>
    public static bool SameAs(this JsonNode? a, JsonNode? b) => JsonNode.DeepEquals(a, b);
}
