using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Orchestrator.Controllers.Runtime;

/// <summary>Small accessors for the parts of Kubernetes objects controllers read, held as JSON nodes.</summary>
internal static class JsonFields
{
    public static JsonNode? At(this JsonNode? node, params string[] path)
    {
        foreach (var segment in path)
            node = node is JsonObject o && o.TryGetPropertyValue(segment, out var child) ? child : null;
        return node;
    }

    public static string? Str(this JsonNode? node, params string[] path) =>
        node.At(path) is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    public static long? Long(this JsonNode? node, params string[] path) =>
        node.At(path) is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            && long.TryParse(v.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? l : null;

    public static bool? Bool(this JsonNode? node, params string[] path) => node.At(path) switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.True => true,
        JsonValue v when v.GetValueKind() == JsonValueKind.False => false,
        _ => null,
    };

    public static JsonObject? Obj(this JsonNode? node, params string[] path) => node.At(path) as JsonObject;

    public static IEnumerable<JsonObject> Items(this JsonNode? node, params string[] path) =>
        (node.At(path) as JsonArray ?? []).OfType<JsonObject>();

    public static string Name(this JsonObject obj) => obj.Str("metadata", "name") ?? "";

    public static string? Namespace(this JsonObject obj) => obj.Str("metadata", "namespace");

    public static string? Uid(this JsonObject obj) => obj.Str("metadata", "uid");

    public static bool IsDeleting(this JsonObject obj) => obj.At("metadata", "deletionTimestamp") is not null;

    /// <summary>The object's condition of a type, or null.</summary>
    public static JsonObject? Condition(this JsonObject obj, string type) =>
        obj.Items("status", "conditions").FirstOrDefault(c => c.Str("type") == type);

    public static bool HasTrueCondition(this JsonObject obj, string type) => obj.Condition(type)?.Str("status") == "True";

    public static DateTimeOffset? Time(this JsonNode? node, params string[] path) =>
        node.Str(path) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;

    /// <summary>RFC 3339 in UTC, seconds precision, as Kubernetes writes metav1.Time.</summary>
    public static string Rfc3339(this DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>True when the controller ownerReference of <paramref name="obj"/> names the owner's uid.</summary>
    public static bool IsControlledBy(this JsonObject obj, JsonObject owner) =>
        obj.Items("metadata", "ownerReferences").Any(r => r.Bool("controller") == true && r.Str("uid") == owner.Uid());

    /// <summary>A controller ownerReference to <paramref name="owner"/>, as controllers stamp on what they create.</summary>
    public static JsonObject ControllerReference(JsonObject owner, string apiVersion, string kind) => new()
    {
        ["apiVersion"] = apiVersion,
        ["kind"] = kind,
        ["name"] = owner.Name(),
        ["uid"] = owner.Uid(),
        ["controller"] = true,
        ["blockOwnerDeletion"] = true,
    };
}
