using System.Text.Json.Nodes;

namespace Orchestrator.Controllers.Scheduling;

/// <summary>
/// Which node updates can make an unschedulable pod fit, as kube-scheduler's nodeSchedulingPropertiesChange:
/// only what the filters read (<see cref="NodeState.SetNode"/>). A node's status is rewritten by its agent
/// every few seconds with new heartbeat times; treating each such write as a cluster change would send
/// every unschedulable pod back into the queue, and every retry costs an event.
/// </summary>
public static class NodeChanges
{
    public static bool MayMakePodsFit(JsonObject? previous, JsonObject node)
    {
        if (previous is null)
            return true;
        return (Unschedulable(previous) && !Unschedulable(node))
            || !JsonNode.DeepEquals(previous["status"]?["allocatable"], node["status"]?["allocatable"])
            || !JsonNode.DeepEquals(previous["metadata"]?["labels"], node["metadata"]?["labels"])
            || !JsonNode.DeepEquals(previous["spec"]?["taints"], node["spec"]?["taints"])
            || ReadyStatus(previous) != ReadyStatus(node);
    }

    private static bool Unschedulable(JsonObject node) => node.Bool("spec", "unschedulable") == true;

    private static string? ReadyStatus(JsonObject node) => node.Condition("Ready").Str("status");
}
