using System.Text.Json.Nodes;

namespace Orchestrator.Api.Patching;

// The "$" directives that live in object patches.
public static partial class StrategicMergePatch
{
    internal const string PatchKey = "$patch";
    internal const string RetainKeysKey = "$retainKeys";
    internal const string SetElementOrderPrefix = "$setElementOrder/";
    internal const string DeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList/";

    private enum PatchDirective
    {
        None,
        Merge,
        Replace,
        Delete,
    }

    private static bool IsDirective(string key) =>
        key == PatchKey
        || key == RetainKeysKey
        || key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal)
        || key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal);

    private static PatchDirective ReadPatchDirective(JsonObject patch)
    {
        if (!patch.TryGetPropertyValue(PatchKey, out JsonNode? node))
        {
            return PatchDirective.None;
        }

        string? text = node is JsonValue v && v.TryGetValue(out string? s) ? s : null;
        return text switch
        {
            "merge" => PatchDirective.Merge,
            "replace" => PatchDirective.Replace,
            "delete" => PatchDirective.Delete,
            _ => throw PatchException.Malformed($"invalid $patch directive: {node?.ToJsonString() ?? "null"}"),
        };
    }

    /// <summary>
    /// "$retainKeys: [a, b]" drops every other key of the original (how a deployment's strategy
    /// switches from RollingUpdate to Recreate without leaving rollingUpdate behind). Every key
    /// the patch sets must be in the list.
    /// </summary>
    private static void ApplyRetainKeys(JsonObject target, JsonObject patch)
    {
        if (!patch.TryGetPropertyValue(RetainKeysKey, out JsonNode? node))
        {
            return;
        }

        HashSet<string> retained = StringList(node, RetainKeysKey).ToHashSet(StringComparer.Ordinal);
        foreach ((string key, JsonNode? value) in patch)
        {
            if (!IsDirective(key) && value is not null && !retained.Contains(key))
            {
                throw PatchException.Unprocessable($"$retainKeys does not contain key \"{key}\" present in the patch");
            }
        }

        foreach (string key in target.Select(p => p.Key).Where(k => !retained.Contains(k)).ToList())
        {
            target.Remove(key);
        }
    }

    /// <summary>"$deleteFromPrimitiveList/finalizers: [x]" removes values from a primitive list.</summary>
    private static void ApplyDeleteFromPrimitiveLists(JsonObject target, JsonObject patch)
    {
        foreach ((string key, JsonNode? node) in patch)
        {
            if (!key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            if (node is not JsonArray remove || remove.Any(n => n is JsonObject or JsonArray))
            {
                throw PatchException.Malformed($"{key} must be a list of primitive values");
            }

            if (target[key[DeleteFromPrimitiveListPrefix.Length..]] is JsonArray list)
            {
                for (int i = list.Count - 1; i >= 0; i--)
                {
                    if (remove.Any(r => JsonNode.DeepEquals(r, list[i])))
                    {
                        list.RemoveAt(i);
                    }
                }
            }
        }
    }

    private static List<string> StringList(JsonNode? node, string what) =>
        node is JsonArray array && array.All(n => n is JsonValue v && v.TryGetValue(out string? _))
            ? array.Select(n => n!.GetValue<string>()).ToList()
            : throw PatchException.Malformed($"{what} must be a list of strings");
}
