using Orchestrator.Api.Patching;

namespace Orchestrator.Api.CustomResources;

/// <summary>
/// The list merge rules of a custom resource, read from its schema's x-kubernetes-list-type:
/// "map" merges elements by their x-kubernetes-list-map-keys, "set" merges primitives, and
/// "atomic" or no list type replaces the list, as server-side apply treats CRD lists.
/// </summary>
internal static class CustomPatchSchema
{
    public static PatchSchema For(StructuralSchema root) => new(path => Lookup(root, path));

    private static ListMergeStrategy Lookup(StructuralSchema root, IReadOnlyList<string> path)
    {
        // metadata is ObjectMeta for every kind: its finalizers and ownerReferences keep their built-in rules.
        if (path.Count > 0 && path[0] == "metadata")
        {
            return KubernetesPatchSchema.Lookup(path);
        }

        StructuralSchema? node = root;
        foreach (string name in path)
        {
            // Paths leave list positions out: step through any list into its element schema first.
            while (node?.Items is not null && node.Type == "array")
            {
                node = node.Items;
            }

            node = node?.Child(name);
            if (node is null)
            {
                return ListMergeStrategy.Replace;
            }
        }

        return node switch
        {
            { ListType: "set" } => ListMergeStrategy.Primitives,
            // The merge machinery keys elements by one field; lists keyed by several stay atomic rather than
            // merging two elements that share only the first key.
            { ListType: "map", ListMapKeys: [string key] } => ListMergeStrategy.ByKey(key),
            _ => ListMergeStrategy.Replace,
        };
    }
}
