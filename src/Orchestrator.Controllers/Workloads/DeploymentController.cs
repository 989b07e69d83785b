using System.Globalization;
using System.Text.Json.Nodes;
using Orchestrator.Client;
using Orchestrator.Client.Informers;
using Orchestrator.Controllers.Runtime;

namespace Orchestrator.Controllers.Workloads;

/// <summary>
/// Rolls Deployments out through ReplicaSets named "&lt;deployment&gt;-&lt;pod-template-hash&gt;": one new
/// ReplicaSet per template, scaled up while the old ones are scaled down (RollingUpdate within maxSurge
/// and maxUnavailable, or Recreate), with revision annotations for rollout history and undo, and the
/// status `kubectl rollout status` reads.
/// </summary>
public sealed partial class DeploymentController : QueueController
{
    public override string Name => "deployment";

    protected override void Subscribe(ControllerContext context)
    {
        QueueOwnKeys(context, ApiResource.Deployments);
        QueueControllerOwner(context, ApiResource.ReplicaSets, "Deployment");
        // Recreate waits for old pods to be gone, which only pod events show.
        context.Informers.Subscribe(ApiResource.Pods, change => OnPod(context, change));
    }

    private void OnPod(ControllerContext context, InformerEvent change)
    {
        if (change.Type != InformerEventType.Deleted || ControllerOwner(change.Object, "ReplicaSet") is not { } rsKey)
            return;
        var (ns, name) = SplitKey(rsKey);
        if (context.Informers.For(ApiResource.ReplicaSets).Get(ns, name) is { } rs && ControllerOwner(rs, "Deployment") is { } owner)
            Queue.Add(owner);
    }

    protected override async Task ReconcileAsync(ControllerContext context, string key, CancellationToken token)
    {
        var (ns, name) = SplitKey(key);
        var deployment = context.Informers.For(ApiResource.Deployments).Get(ns, name);
        if (deployment is null)
            return;
        var all = OwnedReplicaSets(context, deployment);
        var newRs = all.FirstOrDefault(rs => PodTemplateHash.SameTemplate(rs.Obj("spec", "template"), deployment.Obj("spec", "template")));
        var rollout = new Rollout(context, key, deployment, all, newRs);
        if (deployment.IsDeleting())
        {
            await SyncStatusAsync(rollout, token).ConfigureAwait(false);
            return;
        }
        if (deployment.Bool("spec", "paused") == true)
            await SyncPausedAsync(rollout, token).ConfigureAwait(false);
        else if (deployment.Str("spec", "strategy", "type") == "Recreate")
            await RecreateAsync(rollout, token).ConfigureAwait(false);
        else
            await RollingUpdateAsync(rollout, token).ConfigureAwait(false);
    }

    private static List<JsonObject> OwnedReplicaSets(ControllerContext context, JsonObject deployment)
    {
        var ns = deployment.Namespace();
        var uid = deployment.Uid();
        return [.. context.Informers.For(ApiResource.ReplicaSets).List()
            .Where(rs => rs.Namespace() == ns && rs.ControllerUid() == uid)
            .OrderBy(rs => rs.Time("metadata", "creationTimestamp") ?? DateTimeOffset.MinValue)
            .ThenBy(rs => rs.Name(), StringComparer.Ordinal)];
    }

    /// <summary>Paused: no new ReplicaSet and no rollout, but scaling and history cleanup go on, and status is kept.</summary>
    private async Task SyncPausedAsync(Rollout rollout, CancellationToken token)
    {
        var replicas = Replicas(rollout.Deployment);
        var active = rollout.All.Where(rs => Replicas(rs) > 0).ToList();
        var target = rollout.New is { } n && rollout.Old.All(rs => Replicas(rs) == 0) ? n : active.Count == 1 ? active[0] : null;
        if (target is not null && Replicas(target) != replicas)
        {
            await ScaleAsync(rollout, target, replicas, token).ConfigureAwait(false);
            await SyncStatusAsync(rollout, token).ConfigureAwait(false);
            return;
        }
        await CleanupHistoryAsync(rollout, token).ConfigureAwait(false);
        await SyncStatusAsync(rollout, token).ConfigureAwait(false);
    }

    internal static int Replicas(JsonObject obj) => (int)(obj.Long("spec", "replicas") ?? 1);

    internal static int StatusCount(JsonObject? obj, string field) => (int)(obj.Long("status", field) ?? 0);

    internal static long RevisionOf(JsonObject rs) =>
        long.TryParse(rs.Str("metadata", "annotations", DeploymentAnnotations.Revision), NumberStyles.Integer, CultureInfo.InvariantCulture, out var revision)
            ? revision
            : 0;

    /// <summary>Sets spec.replicas and the replica annotations of a ReplicaSet (PUT with its resourceVersion).</summary>
    private static async Task ScaleAsync(Rollout rollout, JsonObject rs, int replicas, CancellationToken token)
    {
        var d = rollout.Deployment;
        var desired = Replicas(d).ToString(CultureInfo.InvariantCulture);
        var max = (Replicas(d) + RolloutLimits.For(d).MaxSurge).ToString(CultureInfo.InvariantCulture);
        if (Replicas(rs) == replicas
            && rs.Str("metadata", "annotations", DeploymentAnnotations.DesiredReplicas) == desired
            && rs.Str("metadata", "annotations", DeploymentAnnotations.MaxReplicas) == max)
            return;
        var updated = rs.Copy();
        updated.Child("spec")["replicas"] = replicas;
        var annotations = updated.Child("metadata").Child("annotations");
        annotations[DeploymentAnnotations.DesiredReplicas] = desired;
        annotations[DeploymentAnnotations.MaxReplicas] = max;
        rollout.Replace(await rollout.Context.Client.UpdateAsync(ApiResource.ReplicaSets, updated, token: token).ConfigureAwait(false));
    }

    /// <summary>What one reconcile of a deployment works on; writes replace the ReplicaSets they changed.</summary>
    private sealed class Rollout(ControllerContext context, string key, JsonObject deployment, List<JsonObject> all, JsonObject? newRs)
    {
        public ControllerContext Context { get; } = context;
        public string Key { get; } = key;
        public JsonObject Deployment { get; set; } = deployment;
        public List<JsonObject> All { get; } = all;
        public JsonObject? New { get; private set; } = newRs;
        public IEnumerable<JsonObject> Old => All.Where(rs => !ReferenceEquals(rs, New));

        /// <summary>Progressing reason and message to record for what happened to the new ReplicaSet in this pass.</summary>
        public (string Reason, string Message)? NewReplicaSetEvent { get; set; }

        public void SetNew(JsonObject rs)
        {
            All.RemoveAll(r => r.Uid() == rs.Uid());
            All.Add(rs);
            New = rs;
        }

        public void Replace(JsonObject rs)
        {
            var index = All.FindIndex(r => r.Uid() == rs.Uid());
            var isNew = New is not null && New.Uid() == rs.Uid();
            if (index >= 0)
                All[index] = rs;
            if (isNew)
                New = rs;
        }
    }
}
