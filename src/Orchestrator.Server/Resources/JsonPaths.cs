using System.Text.Json.Nodes;

namespace Orchestrator.Server.Resources;

/// <summary>Small accessors for walking Kubernetes objects held as JSON nodes.</summary>
public static class JsonPaths
{
    /// <summary>The object's metadata, created when absent.</summary>
    public static JsonObject Metadata(this JsonObject obj) => obj.Child("metadata");

    /// <summary>The child object named <paramref name="name"/>, created (replacing a non-object) when absent.</summary>
    public static JsonObject Child(this JsonObject obj, string name)
    {
        if (obj[name] is JsonObject child)
            return child;
        child = new JsonObject();
        obj[name] = child;
        return child;
    }

    public static string? Str(this JsonNode? node, params string[] path)
    {
        var value = Walk(node, path);
        return value is JsonValue v && v.TryGetValue(out string? s) ? s : null;
    }

    public static long? Long(this JsonNode? node, params string[] path)
    {
        var value = Walk(node, path);
        // Nodes built in memory hold int, long or double; parsed ones hold a JSON element: read the number's text.
        if (value is not JsonValue v || v.GetValueKind() != System.Text.Json.JsonValueKind.Number)
            return null;
        var text = v.ToJsonString();
        if (long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var l))
            return l;
        return double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) && d == Math.Floor(d)
            ? (long)d
            : null;
    }

    public static JsonNode? Walk(JsonNode? node, params string[] path)
    {
        foreach (var segment in path)
            node = node is JsonObject o && o.TryGetPropertyValue(segment, out var child) ? child : null;
        return node;
    }

    public static JsonObject? Obj(this JsonNode? node, params string[] path) => Walk(node, path) as JsonObject;

    public static JsonArray? Arr(this JsonNode? node, params string[] path) => Walk(node, path) as JsonArray;

    /// <summary>Sets a field only when absent (Kubernetes defaulting never overwrites what the user set).</summary>
    public static void Default(this JsonObject obj, string name, JsonNode? value)
    {
        if (obj[name] is null)
            obj[name] = value;
    }

    public static string Name(this JsonObject obj) => obj.Str("metadata", "name") ?? "";

    public static string? Namespace(this JsonObject obj) => obj.Str("metadata", "namespace");
}
