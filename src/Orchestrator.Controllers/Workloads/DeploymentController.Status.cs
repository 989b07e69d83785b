using System.Text.Json.Nodes;
using Orchestrator.Client;
using Orchestrator.Controllers.Runtime;

namespace Orchestrator.Controllers.Workloads;

partial class DeploymentController
{
    /// <summary>Done as `kubectl rollout status` sees it: every pod updated and available, nothing old left.</summary>
    private static bool IsComplete(JsonObject d, JsonObject? status)
    {
        var replicas = Replicas(d);
        return (status.Long("updatedReplicas") ?? 0) == replicas
               && (status.Long("replicas") ?? 0) == replicas
               && (status.Long("availableReplicas") ?? 0) == replicas
               && (status.Long("observedGeneration") ?? 0) >= (d.Long("metadata", "generation") ?? 1);
    }

    private async Task SyncStatusAsync(Rollout rollout, CancellationToken token)
    {
        var d = rollout.Deployment;
        var status = CalculateStatus(rollout);
        if (status.SameAs(d["status"]))
            return;
        var updated = d.Copy();
        updated["status"] = status;
        rollout.Deployment = await rollout.Context.Client.UpdateAsync(ApiResource.Deployments, updated, subresource: "status", token: token).ConfigureAwait(false);
    }

    private JsonObject CalculateStatus(Rollout rollout)
    {
        var d = rollout.Deployment;
        var now = rollout.Context.Clock.GetUtcNow();
        var old = d["status"] as JsonObject;
        var status = old?.Copy() ?? new JsonObject();
        var replicas = Replicas(d);
        var available = rollout.All.Sum(rs => StatusCount(rs, "availableReplicas"));
        status["observedGeneration"] = d.Long("metadata", "generation") ?? 1;
        status["replicas"] = rollout.All.Sum(rs => StatusCount(rs, "replicas"));
        status["updatedReplicas"] = StatusCount(rollout.New, "replicas");
        status["readyReplicas"] = rollout.All.Sum(rs => StatusCount(rs, "readyReplicas"));
        status["availableReplicas"] = available;
        status["unavailableReplicas"] = Math.Max(0, rollout.All.Sum(Replicas) - available);
        var conditions = new Conditions(status, now);

        var maxUnavailable = Math.Min(replicas, d.Str("spec", "strategy", "type") == "Recreate" ? 0 : RolloutLimits.For(d).MaxUnavailable);
        if (available >= replicas - maxUnavailable)
            conditions.Set("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.");
        else
            conditions.Set("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.");

        if (d.Long("spec", "progressDeadlineSeconds") is not { } deadline)
            return status;
        var progressing = conditions.Get("Progressing");
        if (d.Bool("spec", "paused") == true)
        {
            if (progressing?.Str("reason") != "DeploymentPaused")
                conditions.Set("Progressing", "Unknown", "DeploymentPaused", "Deployment is paused", refresh: true);
            return status;
        }
        if (progressing?.Str("reason") == "DeploymentPaused")
            conditions.Set("Progressing", "Unknown", "DeploymentResumed", "Deployment is resumed", refresh: true);

        var newName = rollout.New?.Name();
        if (rollout.NewReplicaSetEvent is { } happened)
            conditions.Set("Progressing", "True", happened.Reason, happened.Message, refresh: true);
        progressing = conditions.Get("Progressing");
        if (newName is not null && IsComplete(d, status))
        {
            if (progressing?.Str("reason") != "NewReplicaSetAvailable")
                conditions.Set("Progressing", "True", "NewReplicaSetAvailable", $"ReplicaSet \"{newName}\" has successfully progressed.", refresh: true);
            return status;
        }
        else if (newName is not null && Progressed(old, status))
            conditions.Set("Progressing", "True", "ReplicaSetUpdated", $"ReplicaSet \"{newName}\" is progressing.", refresh: true);

        progressing = conditions.Get("Progressing");
        if (progressing is null || progressing.Str("reason") is "ProgressDeadlineExceeded" or "NewReplicaSetAvailable" || newName is null)
            return status;
        var since = progressing.Time("lastUpdateTime") ?? now;
        var expires = since.AddSeconds(deadline);
        if (expires <= now)
            conditions.Set("Progressing", "False", "ProgressDeadlineExceeded", $"ReplicaSet \"{newName}\" has timed out progressing.", refresh: true);
        else
            Queue.AddAfter(rollout.Key, expires - now + TimeSpan.FromMilliseconds(100));
        return status;
    }

    /// <summary>kube's DeploymentProgressing: more updated, ready or available pods, or fewer old ones.</summary>
    private static bool Progressed(JsonObject? before, JsonObject after)
    {
        long Count(JsonObject? s, string field) => s.Long(field) ?? 0;
        var oldBefore = Count(before, "replicas") - Count(before, "updatedReplicas");
        var oldAfter = Count(after, "replicas") - Count(after, "updatedReplicas");
        return Count(after, "updatedReplicas") > Count(before, "updatedReplicas")
               || oldAfter < oldBefore
               || Count(after, "readyReplicas") > Count(before, "readyReplicas")
               || Count(after, "availableReplicas") > Count(before, "availableReplicas");
    }

    /// <summary>status.conditions of a deployment: a transition time moves only when the condition's status does.</summary>
    private sealed class Conditions(JsonObject status, DateTimeOffset now)
    {
        public JsonObject? Get(string type) =>
            (status["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == type);

        /// <param name="refresh">Stamp lastUpdateTime even when nothing else changes (progress was made).</param>
        public void Set(string type, string value, string reason, string message, bool refresh = false)
        {
            var current = Get(type);
            var same = current is not null && current.Str("status") == value && current.Str("reason") == reason && current.Str("message") == message;
            // Only progress itself refreshes an unchanged condition's lastUpdateTime (the progress deadline counts from it).
            if (same && !(refresh && reason == "ReplicaSetUpdated"))
                return;
            var stamp = Json.Timestamp(now);
            var condition = new JsonObject
            {
                ["type"] = type,
                ["status"] = value,
                ["lastUpdateTime"] = stamp,
                ["lastTransitionTime"] = current is not null && current.Str("status") == value ? current["lastTransitionTime"]?.DeepClone() : stamp,
                ["reason"] = reason,
                ["message"] = message,
            };
            var conditions = status["conditions"] as JsonArray ?? [];
            var list = conditions.OfType<JsonObject>().Where(c => c.Str("type") != type).Select(c => c.DeepClone()).ToList();
            list.Add(condition);
            // Kube lists Available before Progressing.
            status["conditions"] = new JsonArray([.. list.OrderBy(c => c.Str("type") == "Available" ? 0 : 1)]);
        }
    }
}
