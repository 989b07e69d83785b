using System.Text.Json.Nodes;

namespace Orchestrator.Api.Patching;

/// <summary>
/// Strategic merge patch, Content-Type application/strategic-merge-patch+json: what kubectl
/// apply, edit, set image, cordon and rollout restart send. Like a merge patch, except that
/// lists merge according to a <see cref="PatchSchema"/> and the patch may carry directives:
/// <c>$patch: replace|delete|merge</c>, <c>$retainKeys</c>, <c>$setElementOrder/&lt;list&gt;</c>
/// and <c>$deleteFromPrimitiveList/&lt;list&gt;</c>. Directives never reach the result.
/// </summary>
public static partial class StrategicMergePatch
{
    /// <summary>Returns the patched object; neither argument is modified.</summary>
    /// <exception cref="PatchException">The patch is malformed or does not fit the object.</exception>
    public static JsonObject Apply(JsonObject? original, JsonNode? patch, PatchSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (patch is not JsonObject patchObject)
        {
            throw PatchException.Malformed("strategic merge patch must be a JSON object");
        }

        var target = original is null ? new JsonObject() : (JsonObject)original.DeepClone();
        // A top-level "$patch: delete" empties the object; there is nothing to remove it from.
        return MergeObject(target, patchObject, [], schema) ?? new JsonObject();
    }

    /// <summary>
    /// Merges <paramref name="patch"/> into <paramref name="target"/>, which the caller owns and
    /// which is changed in place. Returns the result, which may be a new object ("$patch:
    /// replace"), or null when the patch deletes the object ("$patch: delete").
    /// </summary>
    private static JsonObject? MergeObject(JsonObject target, JsonObject patch, List<string> path, PatchSchema schema)
    {
        switch (ReadPatchDirective(patch))
        {
            case PatchDirective.Delete:
                return null;
            case PatchDirective.Replace:
                // The patch, minus its directives, becomes the object.
                return MergeObject(new JsonObject(), WithoutKey(patch, PatchKey), path, schema);
        }

        ApplyRetainKeys(target, patch);
        ApplyDeleteFromPrimitiveLists(target, patch);
        Dictionary<string, HashSet<string>>? orderedLists = CaptureOrderedLists(target, patch, path, schema);
        foreach ((string key, JsonNode? value) in patch)
        {
            if (IsDirective(key))
            {
                continue;
            }

            if (value is null)
            {
                target.Remove(key);
                continue;
            }

            path.Add(key);
            JsonNode? existing = target[key];
            switch (value)
            {
                case JsonObject patchChild:
                    JsonObject start = existing as JsonObject ?? new JsonObject();
                    if (!ReferenceEquals(start, existing))
                    {
                        target[key] = start;
                    }

                    JsonObject? merged = MergeObject(start, patchChild, path, schema);
                    if (merged is null)
                    {
                        target.Remove(key);
                    }
                    else if (!ReferenceEquals(merged, start))
                    {
                        target[key] = merged;
                    }

                    break;
                case JsonArray patchList:
                    target[key] = MergeList(existing as JsonArray, patchList, path, schema);
                    break;
                default:
                    target[key] = value.DeepClone();
                    break;
            }

            path.RemoveAt(path.Count - 1);
        }

        ApplySetElementOrders(target, patch, path, schema, orderedLists);
        return target;
    }

    private static JsonObject WithoutKey(JsonObject source, string key)
    {
        var copy = new JsonObject();
        foreach ((string name, JsonNode? value) in source)
        {
            if (name != key)
            {
                copy[name] = value?.DeepClone();
            }
        }

        return copy;
    }
}
