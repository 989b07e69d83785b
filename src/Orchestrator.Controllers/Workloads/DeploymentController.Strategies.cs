using System.Text.Json.Nodes;
using Orchestrator.Client;
using Orchestrator.Controllers.Runtime;

namespace Orchestrator.Controllers.Workloads;

// The two strategies, each one step per reconcile: the write it makes brings the deployment back
// (through the ReplicaSet's events) for the next step, seen from fresh caches.
partial class DeploymentController
{
    private async Task RollingUpdateAsync(Rollout rollout, CancellationToken token)
    {
        await EnsureNewReplicaSetAsync(rollout, create: true, token).ConfigureAwait(false);
        if (!await ScaleUpNewAsync(rollout, token).ConfigureAwait(false)
            && !await ScaleDownOldAsync(rollout, token).ConfigureAwait(false)
            && IsComplete(rollout.Deployment, rollout.Deployment["status"] as JsonObject))
            await CleanupHistoryAsync(rollout, token).ConfigureAwait(false);
        await SyncStatusAsync(rollout, token).ConfigureAwait(false);
    }

    /// <summary>Brings the new ReplicaSet towards spec.replicas without more than replicas + maxSurge pods in all.</summary>
    private static async Task<bool> ScaleUpNewAsync(Rollout rollout, CancellationToken token)
    {
        var d = rollout.Deployment;
        var newRs = rollout.New!;
        var replicas = Replicas(d);
        var current = Replicas(newRs);
        int target;
        if (current == replicas)
            return false;
        if (current > replicas)
        {
            target = replicas;
        }
        else
        {
            var maxTotal = replicas + RolloutLimits.For(d).MaxSurge;
            var total = rollout.All.Sum(Replicas);
            if (total >= maxTotal)
                return false;
            target = current + Math.Min(maxTotal - total, replicas - current);
        }
        await ScaleAsync(rollout, newRs, target, token).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Scales old ReplicaSets down while at least replicas - maxUnavailable pods stay available: first
    /// their unavailable pods (they cost no availability), then available ones, oldest ReplicaSet first.
    /// </summary>
    private static async Task<bool> ScaleDownOldAsync(Rollout rollout, CancellationToken token)
    {
        var d = rollout.Deployment;
        var old = rollout.Old.Where(rs => Replicas(rs) > 0).ToList();
        if (old.Count == 0)
            return false;
        var minAvailable = Replicas(d) - RolloutLimits.For(d).MaxUnavailable;
        var newRs = rollout.New!;
        var newUnavailable = Replicas(newRs) - StatusCount(newRs, "availableReplicas");
        var maxScaleDown = rollout.All.Sum(Replicas) - minAvailable - newUnavailable;
        if (maxScaleDown <= 0)
            return false;
        var scaled = false;
        foreach (var rs in old)
        {
            if (maxScaleDown <= 0)
                break;
            var unhealthy = Replicas(rs) - StatusCount(rs, "availableReplicas");
            if (unhealthy <= 0)
                continue;
            var by = Math.Min(maxScaleDown, unhealthy);
            await ScaleAsync(rollout, rs, Replicas(rs) - by, token).ConfigureAwait(false);
            maxScaleDown -= by;
            scaled = true;
        }
        var available = rollout.All.Sum(rs => StatusCount(rs, "availableReplicas"));
        var allowed = Math.Min(maxScaleDown, available - minAvailable);
        foreach (var rs in rollout.Old.Where(rs => Replicas(rs) > 0).ToList())
        {
            if (allowed <= 0)
                break;
            var by = Math.Min(Replicas(rs), allowed);
            await ScaleAsync(rollout, rs, Replicas(rs) - by, token).ConfigureAwait(false);
            allowed -= by;
            scaled = true;
        }
        return scaled;
    }

    /// <summary>Recreate: old ReplicaSets to zero, wait until none of their pods is left, then the new one to full size.</summary>
    private async Task RecreateAsync(Rollout rollout, CancellationToken token)
    {
        await EnsureNewReplicaSetAsync(rollout, create: false, token).ConfigureAwait(false);
        var scaledDown = false;
        foreach (var rs in rollout.Old.Where(rs => Replicas(rs) > 0).ToList())
        {
            await ScaleAsync(rollout, rs, 0, token).ConfigureAwait(false);
            scaledDown = true;
        }
        if (scaledDown || OldPodsRunning(rollout))
        {
            await SyncStatusAsync(rollout, token).ConfigureAwait(false);
            return;
        }
        if (rollout.New is null)
            await EnsureNewReplicaSetAsync(rollout, create: true, token).ConfigureAwait(false);
        if (Replicas(rollout.New!) != Replicas(rollout.Deployment))
            await ScaleAsync(rollout, rollout.New!, Replicas(rollout.Deployment), token).ConfigureAwait(false);
        else if (IsComplete(rollout.Deployment, rollout.Deployment["status"] as JsonObject))
            await CleanupHistoryAsync(rollout, token).ConfigureAwait(false);
        await SyncStatusAsync(rollout, token).ConfigureAwait(false);
    }

    private static bool OldPodsRunning(Rollout rollout)
    {
        var old = rollout.Old.ToList();
        if (old.Any(rs => StatusCount(rs, "replicas") > 0))
            return true;
        var uids = old.Select(rs => rs.Uid()).ToHashSet();
        var ns = rollout.Deployment.Namespace();
        // Terminating pods count: Recreate promises old and new never run side by side.
        return rollout.Context.Informers.For(ApiResource.Pods).List()
            .Any(p => p.Namespace() == ns && p.ControllerUid() is { } owner && uids.Contains(owner) && !PodState.IsTerminal(p));
    }
}
