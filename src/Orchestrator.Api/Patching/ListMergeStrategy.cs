namespace Orchestrator.Api.Patching;

/// <summary>The merge behaviour of one list field; <see cref="MergeKey"/> is set for <see cref="ListMergeKind.MergeByKey"/>.</summary>
public sealed record ListMergeStrategy(ListMergeKind Kind, string? MergeKey = null)
{
    public static ListMergeStrategy Replace { get; } = new(ListMergeKind.Replace);

    public static ListMergeStrategy Primitives { get; } = new(ListMergeKind.MergePrimitives);

    public static ListMergeStrategy ByKey(string mergeKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(mergeKey);
        return new ListMergeStrategy(ListMergeKind.MergeByKey, mergeKey);
    }
}
