using System.Text.Json.Nodes;

namespace Orchestrator.Api.Patching;

/// <summary>One RFC 6902 operation. <see cref="Value"/> is set for add, replace and test; <see cref="From"/> for move and copy.</summary>
public sealed record JsonPatchOperation(string Op, JsonPointer Path, JsonPointer? From, JsonNode? Value)
{
    /// <summary>Reads one operation object, checking that it has the members its op needs.</summary>
    public static JsonPatchOperation FromJson(JsonNode? node, int index)
    {
        if (node is not JsonObject json)
        {
            throw PatchException.Malformed($"JSON patch operation {index} is not an object");
        }

        string op = RequiredString(json, "op", index);
        JsonPointer path = JsonPointer.Parse(RequiredString(json, "path", index));
        switch (op)
        {
            case "add" or "replace" or "test":
                // "value": null is a legal value, so presence is what matters.
                if (!json.TryGetPropertyValue("value", out JsonNode? value))
                {
                    throw PatchException.Malformed($"JSON patch operation {index} ({op}) is missing \"value\"");
                }

                return new JsonPatchOperation(op, path, null, value);
            case "move" or "copy":
                return new JsonPatchOperation(op, path, JsonPointer.Parse(RequiredString(json, "from", index)), null);
            case "remove":
                return new JsonPatchOperation(op, path, null, null);
            default:
                throw PatchException.Malformed($"Unexpected kind: {op}");
        }
    }

    private static string RequiredString(JsonObject json, string name, int index) =>
        json[name] is JsonValue v && v.TryGetValue(out string? s)
            ? s
            : throw PatchException.Malformed($"JSON patch operation {index} is missing \"{name}\"");
}
