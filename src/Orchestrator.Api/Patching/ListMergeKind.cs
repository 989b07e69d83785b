namespace Orchestrator.Api.Patching;

/// <summary>How a strategic merge patch combines a list with the patch's list.</summary>
public enum ListMergeKind
{
    /// <summary>The patch's list replaces the original (tolerations, args, anything unlisted).</summary>
    Replace,

    /// <summary>Object elements are matched by a merge key and merged pairwise (containers by name).</summary>
    MergeByKey,

    /// <summary>A set of primitives: patch values are added if absent (finalizers).</summary>
    MergePrimitives,
}
