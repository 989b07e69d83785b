using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Orchestrator.Api.Objects;

/// <summary>
/// Null-tolerant reads and small writes of Kubernetes objects held as JSON nodes, and the timestamps Kubernetes
/// writes: one set of accessors for the server's strategies and handlers and for the controllers.
/// </summary>
public static class Json
{
    public static JsonNode? At(this JsonNode? node, params string[] path)
    {
        foreach (var part in path)
            node = node is JsonObject obj ? obj[part] : null;
        return node;
    }

    /// <summary>The string at the path, or null when absent or not a string.</summary>
    public static string? Str(this JsonNode? node, params string[] path) => node.At(path) switch
    {
        JsonValue value when value.TryGetValue(out string? text) => text,
        // A node built from a DateTimeOffset, Guid or enum is a JSON string but not a CLR one.
        JsonValue value when value.GetValueKind() == JsonValueKind.String => JsonSerializer.Deserialize<string>(value.ToJsonString()),
        _ => null,
    };

    /// <summary>The string entries of the array at the path; non-strings are skipped.</summary>
    public static IEnumerable<string> Strings(this JsonNode? node, params string[] path) =>
        node.At(path) is JsonArray array
            ? array.OfType<JsonValue>().Where(v => v.GetValueKind() == JsonValueKind.String).Select(v => v.GetValue<string>())
            : [];

    /// <summary>An integral number at the path, or null (absent, not a number, fractional or beyond ±9e15).</summary>
    // Values built in code keep their CLR type (an int is not readable as long): read the number's text.
    public static long? Long(this JsonNode? node, params string[] path)
    {
        if (node.At(path) is not JsonValue v || v.GetValueKind() != JsonValueKind.Number)
            return null;
        var text = v.ToJsonString();
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
            return l;
        // The bound keeps the cast exact: doubles above 2^53 are not integers we can trust.
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == Math.Floor(d) && Math.Abs(d) < 9e15
            ? (long)d
            : null;
    }

    /// <summary>An IntOrString (e.g. PDB minAvailable) as Go's IntOrString.String prints it, or null.</summary>
    public static string? IntOrString(this JsonNode? node, params string[] path) =>
        node.Long(path) is { } n ? n.ToString(CultureInfo.InvariantCulture) : node.Str(path);

    /// <summary>The number of members (object) or entries (array) at the path; 0 for anything else.</summary>
    public static int Count(this JsonNode? node, params string[] path) => node.At(path) switch
    {
        JsonObject obj => obj.Count,
        JsonArray array => array.Count,
        _ => 0,
    };

    public static bool? Bool(this JsonNode? node, params string[] path) =>
        node.At(path) is JsonValue value && value.TryGetValue(out bool flag) ? flag : null;

    public static JsonObject? Obj(this JsonNode? node, params string[] path) => node.At(path) as JsonObject;

    public static JsonArray? Arr(this JsonNode? node, params string[] path) => node.At(path) as JsonArray;

    /// <summary>The object's metadata, created when absent.</summary>
    public static JsonObject Metadata(this JsonObject obj) => obj.Child("metadata");

    /// <summary>Sets a field only when absent (Kubernetes defaulting never overwrites what the user set).</summary>
    public static void Default(this JsonObject obj, string name, JsonNode? value)
    {
        if (obj[name] is null)
            obj[name] = value;
    }

    /// <summary>The named child object, created (replacing a non-object) when missing.</summary>
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

    /// <summary>metadata.creationTimestamp, or null when absent or unparsable (printers show an Age from it).</summary>
    public static DateTimeOffset? Created(this JsonObject obj) => obj.Time("metadata", "creationTimestamp");

    public static DateTimeOffset? Time(this JsonNode? node, params string[] path) =>
        node.Str(path) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;

    /// <summary>RFC 3339 in UTC, seconds precision, as Kubernetes writes metav1.Time.</summary>
    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Rfc3339(this DateTimeOffset time) => Timestamp(time);

    public static IEnumerable<JsonObject> Items(this JsonNode? node, params string[] path) =>
        (node.At(path) as JsonArray ?? []).OfType<JsonObject>();

    /// <summary>The object's condition of a type, or null.</summary>
    public static JsonObject? Condition(this JsonObject obj, string type) =>
        obj.Items("status", "conditions").FirstOrDefault(c => c.Str("type") == type);

    public static bool HasTrueCondition(this JsonObject obj, string type) => obj.Condition(type)?.Str("status") == "True";

    /// <summary>
    /// True when any status condition is <paramref name="type"/> with status "True" (kube's pod printer scans the
    /// whole list; <see cref="HasTrueCondition"/> stops at the first entry of the type).
    /// </summary>
    public static bool AnyTrueCondition(this JsonObject obj, string type) =>
        obj.Items("status", "conditions").Any(c => c.Str("type") == type && c.Str("status") == "True");

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
