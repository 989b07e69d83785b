using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Orchestrator.Api.Tables;

/// <summary>
/// Lenient reads of stored objects for printing: a missing or mistyped field reads as its zero
/// value, as a Go printer sees a zero struct field. Printing must never fail on a stored object.
/// </summary>
internal static class Fields
{
    public static JsonNode? At(JsonNode? node, params string[] path)
    {
        foreach (string key in path)
        {
            if (node is not JsonObject obj || !obj.TryGetPropertyValue(key, out node))
            {
                return null;
            }
        }

        return node;
    }

    public static JsonObject? Obj(JsonNode? node, params string[] path) => At(node, path) as JsonObject;

    /// <summary>The string at the path, or null when absent or not a string.</summary>
    public static string? StrOrNull(JsonNode? node, params string[] path)
    {
        if (At(node, path) is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            return null;
        }

        // A node built from a DateTimeOffset, Guid or enum is a JSON string but not a CLR one.
        return value.TryGetValue(out string? text) ? text : JsonSerializer.Deserialize<string>(value.ToJsonString());
    }

    public static string Str(JsonNode? node, params string[] path) => StrOrNull(node, path) ?? "";

    public static long Int(JsonNode? node, params string[] path) => IntOrNull(node, path) ?? 0;

    /// <summary>An integral number at the path, or null (absent, not a number, or fractional).</summary>
    public static long? IntOrNull(JsonNode? node, params string[] path)
    {
        if (At(node, path) is not JsonValue value || value.GetValueKind() != JsonValueKind.Number)
        {
            return null;
        }

        // Nodes built in memory wrap the CLR type they were made from (int, double, ...), and
        // TryGetValue<long> does not convert between those, so go through the JSON text.
        string text = value.ToJsonString();
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer))
        {
            return integer;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double real)
            && real == Math.Floor(real) && Math.Abs(real) < 9e15
            ? (long)real
            : null;
    }

    public static bool? Bool(JsonNode? node, params string[] path) =>
        At(node, path) is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False
            ? value.GetValue<bool>()
            : null;

    /// <summary>The object entries of the array at the path; non-objects are skipped.</summary>
    public static IEnumerable<JsonObject> Objects(JsonNode? node, params string[] path) =>
        At(node, path) is JsonArray array ? array.OfType<JsonObject>() : [];

    /// <summary>The string entries of the array at the path.</summary>
    public static IEnumerable<string> Strings(JsonNode? node, params string[] path) =>
        At(node, path) is JsonArray array
            ? array.OfType<JsonValue>().Where(v => v.GetValueKind() == JsonValueKind.String).Select(v => v.GetValue<string>())
            : [];

    public static int Count(JsonNode? node, params string[] path) => At(node, path) switch
    {
        JsonObject obj => obj.Count,
        JsonArray array => array.Count,
        _ => 0,
    };

    /// <summary>An RFC 3339 timestamp (metav1.Time or MicroTime); null when absent or unparsable.</summary>
    public static DateTimeOffset? Time(JsonNode? node, params string[] path) =>
        StrOrNull(node, path) is { Length: > 0 } text
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset time)
            ? time
            : null;

    public static string Name(JsonObject obj) => Str(obj, "metadata", "name");

    public static string Age(JsonObject obj, DateTimeOffset now) =>
        HumanDuration.Since(Time(obj, "metadata", "creationTimestamp"), now);

    public static bool IsDeleting(JsonObject obj) => At(obj, "metadata", "deletionTimestamp") is JsonValue;

    /// <summary>An IntOrString (e.g. PDB minAvailable) as Go's IntOrString.String prints it.</summary>
    public static string? IntOrString(JsonNode? node, params string[] path) => At(node, path) switch
    {
        JsonValue v when IntOrNull(v) is { } n => n.ToString(CultureInfo.InvariantCulture),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => null,
    };

    /// <summary>True when the conditions list holds <paramref name="type"/> with status "True".</summary>
    public static bool HasTrueCondition(JsonNode? node, string type, params string[] path) =>
        Objects(node, path).Any(c => Str(c, "type") == type && Str(c, "status") == "True");

    /// <summary>The status of the first condition of <paramref name="type"/> is "True" (kube stops at the first match).</summary>
    public static bool FirstConditionTrue(JsonNode? node, string type, params string[] path) =>
        Objects(node, path).FirstOrDefault(c => Str(c, "type") == type) is { } condition && Str(condition, "status") == "True";
}
