namespace Orchestrator.Api.Patching;

/// <summary>
/// Tells the strategic merge patch how each list merges. A list is identified by the names of
/// the object fields leading to it, with list positions left out: a pod's containers are
/// ["spec","containers"], a deployment's are ["spec","template","spec","containers"], and a
/// container's env is [..., "containers", "env"]. That keeps one rule valid for every kind
/// that embeds a pod template.
/// </summary>
public sealed class PatchSchema
{
    private readonly Func<IReadOnlyList<string>, ListMergeStrategy> _lookup;

    public PatchSchema(Func<IReadOnlyList<string>, ListMergeStrategy> lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        _lookup = lookup;
    }

    /// <summary>Every list replaces wholesale: strategic merge then behaves like a merge patch on lists.</summary>
    public static PatchSchema ReplaceAllLists { get; } = new(_ => ListMergeStrategy.Replace);

    /// <summary>The built-in Kubernetes kinds; see <see cref="KubernetesPatchSchema"/>.</summary>
    public static PatchSchema Kubernetes { get; } = new(KubernetesPatchSchema.Lookup);

    public ListMergeStrategy ListStrategy(IReadOnlyList<string> path) => _lookup(path);
}
