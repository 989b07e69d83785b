using System.Text.Json.Nodes;

namespace Orchestrator.Api.Patching;

// List merging by strategy, and "$setElementOrder/<list>".
public static partial class StrategicMergePatch
{
    private static JsonArray MergeList(JsonArray? original, JsonArray patch, List<string> path, PatchSchema schema)
    {
        ListMergeStrategy strategy = schema.ListStrategy(path);

        // {"$patch": "replace"} as an element replaces the list with the other elements, whatever the strategy.
        bool replace = patch.Any(e => e is JsonObject o && o.Count == 1 && ReadPatchDirective(o) == PatchDirective.Replace);
        if (strategy.Kind == ListMergeKind.Replace || replace)
        {
            var replaced = new JsonArray();
            foreach (JsonNode? element in patch)
            {
                if (element is JsonObject o && o.Count == 1 && o.ContainsKey(PatchKey))
                {
                    continue;
                }

                replaced.Add(element is JsonObject obj ? MergeObject(new JsonObject(), obj, path, schema) : element?.DeepClone());
            }

            return replaced;
        }

        List<JsonNode?> result = original is null ? [] : original.Select(e => e?.DeepClone()).ToList();
        if (strategy.Kind == ListMergeKind.MergePrimitives)
        {
            foreach (JsonNode? element in patch)
            {
                if (element is JsonObject or JsonArray)
                {
                    throw PatchException.Malformed($"{string.Join(".", path)} is a list of primitives, got {element.ToJsonString()}");
                }

                if (!result.Any(e => JsonNode.DeepEquals(e, element)))
                {
                    result.Add(element?.DeepClone());
                }
            }
        }
        else
        {
            MergeByKey(result, patch, strategy.MergeKey!, path, schema);
        }

        return new JsonArray([.. result]);
    }

    private static void MergeByKey(List<JsonNode?> result, JsonArray patch, string mergeKey, List<string> path, PatchSchema schema)
    {
        foreach (JsonNode? element in patch)
        {
            if (element is not JsonObject patchItem)
            {
                throw PatchException.Malformed(
                    $"{string.Join(".", path)}: list elements must be objects with merge key \"{mergeKey}\", got {element?.ToJsonString() ?? "null"}");
            }

            if (!patchItem.TryGetPropertyValue(mergeKey, out JsonNode? keyValue) || keyValue is null)
            {
                throw PatchException.Malformed($"map: {patchItem.ToJsonString()} does not contain declared merge key: {mergeKey}");
            }

            int index = result.FindIndex(e => e is JsonObject o && JsonNode.DeepEquals(o[mergeKey], keyValue));
            if (ReadPatchDirective(patchItem) == PatchDirective.Delete)
            {
                result.RemoveAll(e => e is JsonObject o && JsonNode.DeepEquals(o[mergeKey], keyValue));
                continue;
            }

            if (index >= 0)
            {
                JsonObject? merged = MergeObject((JsonObject)result[index]!, patchItem, path, schema);
                if (merged is null)
                {
                    result.RemoveAt(index);
                }
                else
                {
                    result[index] = merged;
                }
            }
            else if (MergeObject(new JsonObject(), patchItem, path, schema) is { } added)
            {
                result.Add(added);
            }
        }
    }

    /// <summary>
    /// "$setElementOrder/&lt;list&gt;" gives the order of the elements the patch knows about (kubectl
    /// sends the order of the user's file). Elements only the server has (for instance an
    /// injected sidecar) are merged in by their original position: each goes before the first
    /// ordered element that followed it in the original; elements the original did not have
    /// yield to them. Runs in two steps because "new" is judged against the list as it
    /// was before the merge: <see cref="CaptureOrderedLists"/> first, <see cref="ApplySetElementOrders"/> after.
    /// </summary>
    private static Dictionary<string, HashSet<string>>? CaptureOrderedLists(JsonObject target, JsonObject patch, List<string> path, PatchSchema schema)
    {
        Dictionary<string, HashSet<string>>? before = null;
        foreach ((string key, JsonNode? node) in patch)
        {
            if (!key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            if (node is not JsonArray)
            {
                throw PatchException.Malformed($"{key} must be a list");
            }

            string listName = key[SetElementOrderPrefix.Length..];
            Func<JsonNode?, string?> identity = IdentityOf(schema, path, listName, key);
            var ids = new HashSet<string>(StringComparer.Ordinal);
            if (target[listName] is JsonArray list)
            {
                foreach (JsonNode? element in list)
                {
                    if (identity(element) is { } id)
                    {
                        ids.Add(id);
                    }
                }
            }

            (before ??= new Dictionary<string, HashSet<string>>(StringComparer.Ordinal))[listName] = ids;
        }

        return before;
    }

    private static void ApplySetElementOrders(
        JsonObject target, JsonObject patch, List<string> path, PatchSchema schema, Dictionary<string, HashSet<string>>? before)
    {
        if (before is null)
        {
            return;
        }

        foreach ((string listName, HashSet<string> originalIds) in before)
        {
            if (target[listName] is not JsonArray list)
            {
                continue;
            }

            string key = SetElementOrderPrefix + listName;
            Func<JsonNode?, string?> identity = IdentityOf(schema, path, listName, key);
            List<string> orderIds = patch[key]!.AsArray().Select(e => identity(e) ?? throw PatchException.Malformed(
                $"{key}: element {e?.ToJsonString() ?? "null"} has no merge key")).ToList();
            target[listName] = Reorder(list, orderIds, originalIds, identity);
        }
    }

    // The identity of a list element for ordering: its merge key value, or the value itself
    // for primitive lists. Null when an element has no identity.
    private static Func<JsonNode?, string?> IdentityOf(PatchSchema schema, List<string> path, string listName, string directive)
    {
        path.Add(listName);
        ListMergeStrategy strategy = schema.ListStrategy(path);
        path.RemoveAt(path.Count - 1);
        return strategy.Kind switch
        {
            ListMergeKind.MergeByKey => e => e is JsonObject o && o[strategy.MergeKey!] is JsonNode k ? k.ToJsonString() : null,
            ListMergeKind.MergePrimitives => e => e is JsonObject or JsonArray ? null : e?.ToJsonString() ?? "null",
            _ => throw PatchException.Malformed($"{directive} applies only to lists that merge"),
        };
    }

    private static JsonArray Reorder(JsonArray list, List<string> orderIds, HashSet<string> originalIds, Func<JsonNode?, string?> identity)
    {
        // Positions are indexes in the merged list, which keeps the original's relative order.
        List<(JsonNode? Node, string? Id, int Position)> items = list.Select((n, i) => (n, identity(n), i)).ToList();
        var known = items.Where(i => i.Id is not null && orderIds.Contains(i.Id))
            .OrderBy(i => orderIds.IndexOf(i.Id!))
            .ToList();
        var serverOnly = items.Where(i => i.Id is null || !orderIds.Contains(i.Id)).ToList();

        var ordered = new List<JsonNode?>(items.Count);
        int a = 0, b = 0;
        while (a < known.Count || b < serverOnly.Count)
        {
            bool takeKnown = b >= serverOnly.Count
                || (a < known.Count && originalIds.Contains(known[a].Id!) && known[a].Position < serverOnly[b].Position);
            ordered.Add(takeKnown ? known[a++].Node : serverOnly[b++].Node);
        }

        list.Clear();
        return new JsonArray([.. ordered]);
    }
}
