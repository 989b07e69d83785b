using System.Text.Json.Nodes;
using Orchestrator.Client;
using Orchestrator.Controllers.Runtime;

namespace Orchestrator.Controllers.Workloads;

partial class ReplicaSetController
{
    /// <summary>Writes the counted status when it differs; pods that will turn available later bring the key back then.</summary>
    private async Task UpdateStatusAsync(ControllerContext context, string key, JsonObject rs, List<JsonObject> active, CancellationToken token)
    {
        var now = context.Clock.GetUtcNow();
        var minReady = rs.Long("spec", "minReadySeconds") ?? 0;
        var templateLabels = rs.Obj("spec", "template", "metadata", "labels");
        int ready = 0, available = 0, fullyLabeled = 0;
        TimeSpan? soonest = null;
        foreach (var pod in active)
        {
            if (FullyLabeled(pod, templateLabels))
                fullyLabeled++;
            if (PodState.IsReady(pod))
                ready++;
            if (PodState.IsAvailable(pod, minReady, now, out var wait))
                available++;
            else if (wait is { } w && (soonest is null || w < soonest))
                soonest = w;
        }
        if (soonest is { } delay)
            Queue.AddAfter(key, delay + TimeSpan.FromMilliseconds(100));

        var status = rs.Obj("status")?.Copy() ?? new JsonObject();
        status["replicas"] = active.Count;
        status["fullyLabeledReplicas"] = fullyLabeled;
        status["readyReplicas"] = ready;
        status["availableReplicas"] = available;
        status["observedGeneration"] = rs.Long("metadata", "generation") ?? 1;
        if (status.SameAs(rs["status"]))
            return;
        var updated = rs.Copy();
        updated["status"] = status;
        await context.Client.UpdateAsync(kind.Resource, updated, subresource: "status", token: token).ConfigureAwait(false);
    }

    private static bool FullyLabeled(JsonObject pod, JsonObject? templateLabels)
    {
        var labels = pod.Obj("metadata", "labels");
        foreach (var (label, value) in templateLabels ?? [])
        {
            if (labels?[label]?.GetValue<string>() != value?.GetValue<string>())
                return false;
        }
        return true;
    }
}
