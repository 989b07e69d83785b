using System.Text.Json.Nodes;
using Orchestrator.Controllers.Runtime;

namespace Orchestrator.Controllers.Workloads;

/// <summary>
/// Which pods a ReplicaSet gives up first when scaling down, as kube's ActivePods ordering: unscheduled
/// before scheduled, pending before running, not ready before ready, recently ready before long ready,
/// newer before older.
/// </summary>
public static class PodDeletionOrder
{
    public static IEnumerable<JsonObject> Rank(IEnumerable<JsonObject> pods) =>
        pods.OrderBy(p => PodState.IsScheduled(p) ? 1 : 0)
            .ThenBy(p => PhaseRank(p.Str("status", "phase")))
            .ThenBy(p => PodState.IsReady(p) ? 1 : 0)
            .ThenByDescending(p => PodState.ReadySince(p) ?? DateTimeOffset.MaxValue)
            .ThenByDescending(p => p.Time("metadata", "creationTimestamp") ?? DateTimeOffset.MinValue)
            .ThenBy(p => p.Name(), StringComparer.Ordinal);

    private static int PhaseRank(string? phase) => phase switch
    {
        "Pending" or null or "" => 0,
        "Unknown" => 1,
        _ => 2,
    };
}
