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
        if (value is not JsonValue v)
            return null;
        if (v.TryGetValue(out long l))
            return l;
        if (v.TryGetValue(out double d) && d == Math.Floor(d))
            return (long)d;
        return null;
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
