using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Orchestrator.Api.Patching;

/// <summary>
/// JSON patch (RFC 6902), Content-Type application/json-patch+json. Operations apply in order
/// to a copy of the document, so a failing operation leaves the caller's document untouched
/// (the whole patch is atomic, as the RFC requires).
/// </summary>
public sealed class JsonPatch
{
    private JsonPatch(ImmutableArray<JsonPatchOperation> operations)
    {
        Operations = operations;
    }

    public ImmutableArray<JsonPatchOperation> Operations { get; }

    /// <summary>Reads a patch document (a JSON array of operations); errors are <see cref="PatchErrorKind.Malformed"/>.</summary>
    public static JsonPatch Parse(JsonNode? document)
    {
        if (document is not JsonArray array)
        {
            throw PatchException.Malformed("JSON patch must be an array of operations");
        }

        return new JsonPatch([.. array.Select(JsonPatchOperation.FromJson)]);
    }

    /// <summary>Applies every operation to a copy of <paramref name="document"/> and returns it.</summary>
    public JsonNode? Apply(JsonNode? document)
    {
        JsonNode? result = document?.DeepClone();
        foreach (JsonPatchOperation operation in Operations)
        {
            result = ApplyOne(result, operation);
        }

        return result;
    }

    private static JsonNode? ApplyOne(JsonNode? document, JsonPatchOperation operation)
    {
        switch (operation.Op)
        {
            case "add":
                return Add(document, operation.Path, operation.Value?.DeepClone());
            case "remove":
                Remove(document, operation.Path);
                return document;
            case "replace":
                return Replace(document, operation.Path, operation.Value?.DeepClone());
            case "move":
                JsonPointer from = operation.From!;
                if (operation.Path.StartsWith(from) && operation.Path.Segments.Length > from.Segments.Length)
                {
                    throw PatchException.Unprocessable($"cannot move \"{from}\" into its own child \"{operation.Path}\"");
                }

                JsonNode? moved = Get(document, from);
                if (from.IsRoot)
                {
                    return moved;
                }

                Remove(document, from);
                return Add(document, operation.Path, moved);
            case "copy":
                return Add(document, operation.Path, Get(document, operation.From!)?.DeepClone());
            case "test":
                JsonNode? actual = Get(document, operation.Path);
                if (!JsonNode.DeepEquals(actual, operation.Value))
                {
                    throw PatchException.Unprocessable($"testing value {operation.Path} failed: test failed");
                }

                return document;
            default:
                throw PatchException.Malformed($"Unexpected kind: {operation.Op}");
        }
    }

    private static JsonNode? Get(JsonNode? document, JsonPointer pointer)
    {
        JsonNode? node = document;
        foreach (string segment in pointer.Segments)
        {
            node = node switch
            {
                JsonObject obj when obj.TryGetPropertyValue(segment, out JsonNode? child) => child,
                JsonArray array when TryParseIndex(segment, array.Count - 1, out int index) => array[index],
                _ => throw Missing(pointer),
            };
        }

        return node;
    }

    private static JsonNode? Add(JsonNode? document, JsonPointer path, JsonNode? value)
    {
        if (path.IsRoot)
        {
            return value;
        }

        string last = path.Segments[^1];
        switch (Parent(document, path))
        {
            case JsonObject obj:
                obj[last] = value;
                break;
            case JsonArray array when last == "-":
                array.Add(value);
                break;
            case JsonArray array when TryParseIndex(last, array.Count, out int index):
                array.Insert(index, value);
                break;
            default:
                throw Missing(path);
        }

        return document;
    }

    // Replaces in place so an object keeps its key order (a remove-then-add would move the key last).
    private static JsonNode? Replace(JsonNode? document, JsonPointer path, JsonNode? value)
    {
        if (path.IsRoot)
        {
            return value;
        }

        string last = path.Segments[^1];
        switch (Parent(document, path))
        {
            case JsonObject obj when obj.ContainsKey(last):
                obj[last] = value;
                break;
            case JsonArray array when TryParseIndex(last, array.Count - 1, out int index):
                array[index] = value;
                break;
            default:
                throw Missing(path);
        }

        return document;
    }

    private static void Remove(JsonNode? document, JsonPointer path)
    {
        if (path.IsRoot)
        {
            throw PatchException.Unprocessable("cannot remove the whole document");
        }

        string last = path.Segments[^1];
        switch (Parent(document, path))
        {
            case JsonObject obj when obj.Remove(last):
                break;
            case JsonArray array when TryParseIndex(last, array.Count - 1, out int index):
                array.RemoveAt(index);
                break;
            default:
                throw Missing(path);
        }
    }

    private static JsonNode? Parent(JsonNode? document, JsonPointer path)
    {
        JsonNode? node = document;
        for (int i = 0; i < path.Segments.Length - 1; i++)
        {
            string segment = path.Segments[i];
            node = node switch
            {
                JsonObject obj when obj.TryGetPropertyValue(segment, out JsonNode? child) => child,
                JsonArray array when TryParseIndex(segment, array.Count - 1, out int index) => array[index],
                _ => throw Missing(path),
            };
        }

        return node;
    }

    /// <summary>RFC 6901 array index: decimal digits without leading zeros, at most <paramref name="max"/>.</summary>
    private static bool TryParseIndex(string segment, int max, out int index)
    {
        index = -1;
        if (segment.Length == 0 || (segment.Length > 1 && segment[0] == '0') || !segment.All(char.IsAsciiDigit))
        {
            return false;
        }

        return int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out index) && index <= max;
    }

    private static PatchException Missing(JsonPointer path) =>
        PatchException.Unprocessable($"doc is missing path: \"{path}\"");
}
