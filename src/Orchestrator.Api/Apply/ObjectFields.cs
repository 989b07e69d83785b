using System.Collections.Frozen;
using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;
using Orchestrator.Api.Patching;

namespace Orchestrator.Api.Apply;

/// <summary>
/// The fields of an object that managers can own (structured-merge-diff's ToFieldSet), with the
/// values needed to tell which of them a write changed. Lists follow the patch schema: lists with a
/// merge key are associative (items "k:"), sets of primitives have "v:" items, and every other list
/// is atomic, owned whole as one leaf.
/// </summary>
public static class ObjectFields
{
    /// <summary>The status subresource: writes through it own status only.</summary>
    public const string StatusSubresource = "status";

    // What kube's fieldmanager strips before tracking: identity and system-maintained metadata.
    private static readonly FrozenSet<string> SystemMetadata = FrozenSet.Create(
        StringComparer.Ordinal,
        "name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp",
        "managedFields", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds", "clusterName");

    /// <summary>
    /// The owned-field set of <paramref name="obj"/> as seen by a write through
    /// <paramref name="subresource"/> (null for the main resource, which does not own status).
    /// </summary>
    public static FieldSet Owned(JsonObject obj, PatchSchema schema, string? subresource = null) =>
        new(Leaves(obj, schema, subresource).Keys);

    /// <summary>Every member path with its value; list items map to their key (presence is what counts).</summary>
    /// <remarks>
    /// <paramref name="rejectDuplicates"/> is for apply configurations: an intent naming one list item
    /// twice contradicts itself, while stored objects may hold duplicates that kube tolerates.
    /// </remarks>
    internal static Dictionary<FieldSetPath, JsonNode?> Leaves(
        JsonObject obj, PatchSchema schema, string? subresource, bool rejectDuplicates = false)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(schema);
        var leaves = new Dictionary<FieldSetPath, JsonNode?>();
        var walker = new Walker(schema, subresource, rejectDuplicates, leaves);
        walker.Object(obj, [], new FieldSetPath([]));
        return leaves;
    }

    private static bool Tracked(FieldSetPath parent, string name, string? subresource)
    {
        if (parent.Count == 0)
        {
            return subresource == StatusSubresource
                ? name == "status"
                : name is not ("apiVersion" or "kind" or "status");
        }

        return !(parent.Count == 1 && parent.Elements[0] == "f:metadata" && SystemMetadata.Contains(name));
    }

    private sealed class Walker(
        PatchSchema schema, string? subresource, bool rejectDuplicates, Dictionary<FieldSetPath, JsonNode?> leaves)
    {
        public void Object(JsonObject obj, List<string> schemaPath, FieldSetPath path)
        {
            foreach ((string name, JsonNode? value) in obj)
            {
                if (!Tracked(path, name, subresource))
                {
                    continue;
                }

                schemaPath.Add(name);
                Value(value, schemaPath, path.Append(FieldPathElement.Field(name)));
                schemaPath.RemoveAt(schemaPath.Count - 1);
            }
        }

        private void Value(JsonNode? value, List<string> schemaPath, FieldSetPath path)
        {
            switch (value)
            {
                case JsonObject o when o.Count > 0:
                    Object(o, schemaPath, path);
                    break;
                case JsonArray a when a.Count > 0:
                    List(a, schemaPath, path);
                    break;
                default:
                    leaves[path] = value;
                    break;
            }
        }

        private void List(JsonArray list, List<string> schemaPath, FieldSetPath path)
        {
            ListMergeStrategy strategy = schema.ListStrategy(schemaPath);
            if (strategy.Kind == ListMergeKind.MergePrimitives && list.All(e => e is not (JsonObject or JsonArray)))
            {
                foreach (JsonNode? item in list)
                {
                    Item(path.Append(FieldPathElement.Value(item)), item);
                }

                return;
            }

            if (strategy.Kind != ListMergeKind.MergeByKey)
            {
                leaves[path] = list;
                return;
            }

            string key = strategy.MergeKey!;
            for (int i = 0; i < list.Count; i++)
            {
                if (list[i] is not JsonObject item || item[key] is null)
                {
                    throw ApiException.BadRequest(
                        $"{new FieldSetPath(path.Elements)}: element {i}: associative list with keys has an element that omits key field \"{key}\"");
                }

                var keyFields = new JsonObject { [key] = item[key]!.DeepClone() };
                FieldSetPath itemPath = path.Append(FieldPathElement.Key(keyFields));
                Item(itemPath, keyFields);
                Object(item, schemaPath, itemPath);
            }
        }

        private void Item(FieldSetPath itemPath, JsonNode? value)
        {
            if (!leaves.TryAdd(itemPath, value) && rejectDuplicates)
            {
                throw ApiException.BadRequest(
                    $"failed to create typed patch object: {itemPath.Prefix(itemPath.Count - 1)}: duplicate entries for key {FieldPathElement.Display(itemPath.Elements[^1])}");
            }
        }
    }
}
