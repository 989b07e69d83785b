namespace Orchestrator.Controllers.Scheduling;

/// <summary>The outcome of one scheduling attempt: a node, or why none fits.</summary>
public sealed record PlacementDecision(NodeState? Node, string? FailureMessage)
{
    /// <summary>kube-scheduler's summary: "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) were unschedulable."</summary>
    public static string Summarize(int nodeCount, IReadOnlyDictionary<string, int> reasons)
    {
        if (nodeCount == 0)
            return "no nodes available to schedule pods";
        var parts = reasons.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Value} {r.Key}");
        return $"0/{nodeCount} nodes are available: {string.Join(", ", parts)}.";
    }
}
