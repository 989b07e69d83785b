using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Orchestrator.Client;
using Orchestrator.Controllers.Runtime;
using Orchestrator.Controllers.Scheduling;

namespace Orchestrator.Controllers.Nodes;

// The writes, each a PUT with the cached resourceVersion so a deposed leader or a stale cache loses (409).
public sealed partial class NodeLifecycleController
{
    private static async Task MarkUnknownAsync(ControllerContext context, JsonObject node, CancellationToken token)
    {
        var now = Json.Timestamp(context.Clock.GetUtcNow());
        var updated = (JsonObject)node.DeepClone();
        var status = updated["status"] as JsonObject ?? [];
        updated["status"] = status;
        var conditions = status["conditions"] as JsonArray ?? [];
        status["conditions"] = conditions;
        if (!conditions.OfType<JsonObject>().Any(c => c.Str("type") == "Ready"))
            conditions.Add(new JsonObject { ["type"] = "Ready" });
        foreach (var condition in conditions.OfType<JsonObject>())
        {
            if (condition.Str("status") == "Unknown")
                continue;
            condition["status"] = "Unknown";
            condition["reason"] = UnknownReason;
            condition["message"] = UnknownMessage;
            condition["lastTransitionTime"] = now;
        }
        await context.Client.UpdateAsync(ApiResource.Nodes, updated, subresource: "status", token: token).ConfigureAwait(false);
    }

    private async Task UpdateTaintsAsync(ControllerContext context, JsonObject node, bool add, CancellationToken token)
    {
        var updated = (JsonObject)node.DeepClone();
        var spec = updated["spec"] as JsonObject ?? [];
        updated["spec"] = spec;
        var taints = new JsonArray();
        foreach (var taint in node.Items("spec", "taints"))
        {
            if (taint.Str("key") != Taint.Unreachable)
                taints.Add(taint.DeepClone());
        }
        if (add)
        {
            var now = Json.Timestamp(context.Clock.GetUtcNow());
            taints.Add(new JsonObject { ["key"] = Taint.Unreachable, ["effect"] = Taint.NoSchedule, ["timeAdded"] = now });
            taints.Add(new JsonObject { ["key"] = Taint.Unreachable, ["effect"] = Taint.NoExecute, ["timeAdded"] = now });
        }
        if (taints.Count == 0)
            spec.Remove("taints");
        else
            spec["taints"] = taints;
        await context.Client.UpdateAsync(ApiResource.Nodes, updated, token: token).ConfigureAwait(false);
        logger.LogInformation(add ? "node {Node} is unreachable: tainted" : "node {Node} is reachable again: taints removed", node.Name());
    }

    /// <summary>Deletes the node's pods whose toleration of the NoExecute taint has run out.</summary>
    private async Task EvictAsync(ControllerContext context, JsonObject node, CancellationToken token)
    {
        var taintObject = node.Items("spec", "taints")
            .FirstOrDefault(t => t.Str("key") == Taint.Unreachable && t.Str("effect") == Taint.NoExecute);
        if (taintObject is null)
            return;
        var taint = new Taint(Taint.Unreachable, null, Taint.NoExecute);
        var since = context.Clock.GetUtcNow() - (taintObject.Time("timeAdded") ?? context.Clock.GetUtcNow());
        foreach (var key in podsByNode.On(node.Name()))
        {
            var (ns, name) = QueueController.SplitKey(key);
            if (pods.Get(ns, name) is not { } pod || pod.IsDeleting())
                continue;
            var tolerated = TolerationFor(pod, taint, context.Settings.DefaultTolerationSeconds);
            if (tolerated is null || since < tolerated)
                continue;
            try
            {
                await context.Client.DeleteAsync(ApiResource.Pods, ns, name,
                    new DeleteOptions { PreconditionUid = pod.Str("metadata", "uid") ?? "" }, token).ConfigureAwait(false);
                logger.LogInformation("evicted {Pod} from unreachable node {Node}", key, node.Name());
            }
            catch (KubeApiException e) when (e.Code is 404 or 409)
            {
            }
        }
    }

    /// <summary>How long the pod tolerates the taint: null is forever; without a matching toleration, the default.</summary>
    public static TimeSpan? TolerationFor(JsonObject pod, Taint taint, TimeSpan fallback)
    {
        TimeSpan? shortest = null;
        var matched = false;
        foreach (var toleration in Toleration.Of(pod))
        {
            if (!toleration.Tolerates(taint))
                continue;
            matched = true;
            if (toleration.Seconds is not { } seconds)
                continue; // tolerates forever, unless another matching toleration sets a limit (as kube's getMinTolerationTime)
            var span = TimeSpan.FromSeconds(Math.Max(0, seconds));
            shortest = shortest is null || span < shortest ? span : shortest;
        }
        if (!matched)
            return fallback;
        return shortest;
    }
}
