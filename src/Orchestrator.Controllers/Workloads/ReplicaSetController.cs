using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Orchestrator.Client;
using Orchestrator.Client.Informers;
using Orchestrator.Controllers.Runtime;

namespace Orchestrator.Controllers.Workloads;

/// <summary>
/// Keeps spec.replicas pods of each ReplicaSet, or of each ReplicationController (one instance per
/// <see cref="ReplicatedKind"/>): creates them from the template (in slow-start batches), deletes the least
/// valuable ones first, and reports replicas, ready and available pods in status. Pods belong to their owner
/// through its controller ownerReference (by uid), so the owner's selector form (a LabelSelector or a plain
/// map) never enters here: the API server checked that the template's labels match it.
/// </summary>
public sealed partial class ReplicaSetController(ReplicatedKind kind) : QueueController
{
    // Kube's burst per sync; slow start doubles from 1 up to it.
    private const int BurstReplicas = 500;

    private PodExpectations expectations = null!;

    public override string Name => kind.ControllerName;

    protected override void Subscribe(ControllerContext context)
    {
        expectations = new PodExpectations(context.Clock, TimeSpan.FromSeconds(30));
        QueueOwnKeys(context, kind.Resource);
        context.Informers.Subscribe(ApiResource.Pods, change => OnPod(change));
    }

    private void OnPod(InformerEvent change)
    {
        var owner = ControllerOwner(change.Object, kind.Kind) ?? (change.Previous is { } p ? ControllerOwner(p, kind.Kind) : null);
        if (owner is null)
            return;
        var key = KeyOf(change.Object);
        if (change.Type == InformerEventType.Added && !change.Object.IsDeleting())
            expectations.CreationObserved(owner);
        if (change.Type == InformerEventType.Deleted || change.Object.IsDeleting())
            expectations.DeletionObserved(owner, key);
        Queue.Add(owner);
    }

    protected override async Task ReconcileAsync(ControllerContext context, string key, CancellationToken token)
    {
        var (ns, name) = SplitKey(key);
        var rs = context.Informers.For(kind.Resource).Get(ns, name);
        if (rs is null)
        {
            expectations.Forget(key);
            return;
        }
        var pods = OwnedPods(context, rs);
        var active = pods.Where(PodState.IsActive).ToList();
        // An owner being deleted keeps its pods until the garbage collector takes them.
        try
        {
            if (!rs.IsDeleting() && expectations.Satisfied(key))
                await ManageReplicasAsync(context, key, rs, active, token).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.Code == 403 && e.Message.Contains("being terminated", StringComparison.Ordinal))
        {
            // The namespace is going away with everything in it, this owner too: nothing to retry.
            return;
        }
        await UpdateStatusAsync(context, key, rs, active, token).ConfigureAwait(false);
    }

    private static List<JsonObject> OwnedPods(ControllerContext context, JsonObject rs)
    {
        var ns = rs.Namespace();
        var uid = rs.Uid();
        return [.. context.Informers.For(ApiResource.Pods).List().Where(p => p.Namespace() == ns && p.ControllerUid() == uid)];
    }

    private async Task ManageReplicasAsync(ControllerContext context, string key, JsonObject rs, List<JsonObject> active, CancellationToken token)
    {
        var desired = (int)(rs.Long("spec", "replicas") ?? 1);
        var diff = active.Count - desired;
        if (diff < 0)
            await CreatePodsAsync(context, key, rs, Math.Min(-diff, BurstReplicas), token).ConfigureAwait(false);
        else if (diff > 0)
            await DeletePodsAsync(context, key, PodDeletionOrder.Rank(active).Take(Math.Min(diff, BurstReplicas)).ToList(), token).ConfigureAwait(false);
    }

    /// <summary>Slow start: batches of 1, 2, 4, ...; the first failure stops it, so a quota or admission error costs one call, not hundreds.</summary>
    private async Task CreatePodsAsync(ControllerContext context, string key, JsonObject rs, int count, CancellationToken token)
    {
        expectations.ExpectCreations(key, count);
        var created = 0;
        for (var batch = 1; created < count; batch *= 2)
        {
            var size = Math.Min(batch, count - created);
            var results = await Task.WhenAll(Enumerable.Range(0, size).Select(_ => CreatePodAsync(context, rs, token))).ConfigureAwait(false);
            created += size;
            var failure = results.FirstOrDefault(e => e is not null);
            if (failure is null)
                continue;
            // Creations that failed or were never tried will not be observed.
            var missing = results.Count(e => e is not null) + (count - created);
            for (var i = 0; i < missing; i++)
                expectations.CreationObserved(key);
            throw failure;
        }
    }

    private async Task<Exception?> CreatePodAsync(ControllerContext context, JsonObject rs, CancellationToken token)
    {
        try
        {
            await context.Client.CreateAsync(ApiResource.Pods, rs.Namespace(), PodFor(rs), token: token).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return e;
        }
    }

    private JsonObject PodFor(JsonObject rs)
    {
        var template = rs.Obj("spec", "template")?.Copy() ?? new JsonObject();
        var metadata = template.Obj("metadata")?.Copy() ?? new JsonObject();
        metadata.Remove("name");
        metadata.Remove("resourceVersion");
        metadata["generateName"] = rs.Name() + "-";
        metadata["namespace"] = rs.Namespace();
        metadata["ownerReferences"] = new JsonArray(new JsonObject
        {
            ["apiVersion"] = kind.ApiVersion,
            ["kind"] = kind.Kind,
            ["name"] = rs.Name(),
            ["uid"] = rs.Uid(),
            ["controller"] = true,
            ["blockOwnerDeletion"] = true,
        });
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = metadata,
            ["spec"] = template["spec"]?.DeepClone() ?? new JsonObject(),
        };
    }

    private async Task DeletePodsAsync(ControllerContext context, string key, List<JsonObject> victims, CancellationToken token)
    {
        foreach (var pod in victims)
            expectations.ExpectDeletion(key, KeyOf(pod));
        var failures = await Task.WhenAll(victims.Select(async pod =>
        {
            try
            {
                await context.Client.DeleteAsync(ApiResource.Pods, pod.Namespace(), pod.Name(),
                    new DeleteOptions { PreconditionUid = pod.Uid() }, token).ConfigureAwait(false);
                return null;
            }
            catch (KubeApiException e) when (e.Code == 404)
            {
                expectations.DeletionObserved(key, KeyOf(pod));
                return null;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                expectations.DeletionObserved(key, KeyOf(pod));
                return e;
            }
        })).ConfigureAwait(false);
        if (failures.FirstOrDefault(e => e is not null) is { } failure)
            throw failure;
    }
}
