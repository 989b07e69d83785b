using System.Globalization;
using System.Text.Json.Nodes;
using Orchestrator.Client;
using Orchestrator.Controllers.Runtime;

namespace Orchestrator.Controllers.Workloads;

partial class DeploymentController
{
    /// <summary>
    /// Makes sure the ReplicaSet of the current template exists and carries the newest revision: max of
    /// the old ones + 1. An old ReplicaSet whose template is current again (rollout undo) gets it too.
    /// The deployment's own revision annotation follows.
    /// </summary>
    private async Task EnsureNewReplicaSetAsync(Rollout rollout, bool create, CancellationToken token)
    {
        var revision = (rollout.Old.Select(RevisionOf).DefaultIfEmpty(0).Max() + 1).ToString(CultureInfo.InvariantCulture);
        if (rollout.New is { } existing)
        {
            if (existing.Str("metadata", "annotations", DeploymentAnnotations.Revision) != revision
                && RevisionOf(existing) < long.Parse(revision, CultureInfo.InvariantCulture))
            {
                var updated = existing.Copy();
                updated.Child("metadata").Child("annotations")[DeploymentAnnotations.Revision] = revision;
                rollout.Replace(await rollout.Context.Client.UpdateAsync(ApiResource.ReplicaSets, updated, token: token).ConfigureAwait(false));
            }
            if (rollout.Deployment.Obj("status")?["conditions"] is not JsonArray conditions
                || !conditions.OfType<JsonObject>().Any(c => c.Str("type") == "Progressing"))
                rollout.NewReplicaSetEvent = ("FoundNewReplicaSet", $"Found new replica set \"{existing.Name()}\"");
        }
        else if (create)
        {
            var rs = await CreateReplicaSetAsync(rollout, revision, token).ConfigureAwait(false);
            rollout.SetNew(rs);
            rollout.NewReplicaSetEvent = ("NewReplicaSetCreated", $"Created new replica set \"{rs.Name()}\"");
        }
        else
        {
            return;
        }
        await SetDeploymentRevisionAsync(rollout, RevisionOf(rollout.New!).ToString(CultureInfo.InvariantCulture), token).ConfigureAwait(false);
    }

    private static async Task SetDeploymentRevisionAsync(Rollout rollout, string revision, CancellationToken token)
    {
        if (rollout.Deployment.Str("metadata", "annotations", DeploymentAnnotations.Revision) == revision)
            return;
        var updated = rollout.Deployment.Copy();
        updated.Child("metadata").Child("annotations")[DeploymentAnnotations.Revision] = revision;
        rollout.Deployment = await rollout.Context.Client.UpdateAsync(ApiResource.Deployments, updated, token: token).ConfigureAwait(false);
    }

    private static async Task<JsonObject> CreateReplicaSetAsync(Rollout rollout, string revision, CancellationToken token)
    {
        var d = rollout.Deployment;
        var collisions = d.Long("status", "collisionCount") ?? 0;
        var hash = PodTemplateHash.Of(d.Obj("spec", "template"), collisions);
        var template = d.Obj("spec", "template")?.Copy() ?? new JsonObject();
        template.Child("metadata").Child("labels")[PodTemplateHash.Label] = hash;
        var selector = d.Obj("spec", "selector")?.Copy() ?? new JsonObject();
        selector.Child("matchLabels")[PodTemplateHash.Label] = hash;
        var annotations = new JsonObject();
        foreach (var (name, value) in d.Obj("metadata", "annotations") ?? [])
        {
            if (DeploymentAnnotations.IsCopiedToReplicaSet(name))
                annotations[name] = value?.DeepClone();
        }
        annotations[DeploymentAnnotations.Revision] = revision;
        annotations[DeploymentAnnotations.DesiredReplicas] = Replicas(d).ToString(CultureInfo.InvariantCulture);
        annotations[DeploymentAnnotations.MaxReplicas] = (Replicas(d) + RolloutLimits.For(d).MaxSurge).ToString(CultureInfo.InvariantCulture);
        var rs = new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "ReplicaSet",
            ["metadata"] = new JsonObject
            {
                ["name"] = $"{d.Name()}-{hash}",
                ["namespace"] = d.Namespace(),
                ["labels"] = template.Obj("metadata", "labels")!.DeepClone(),
                ["annotations"] = annotations,
                ["ownerReferences"] = new JsonArray(new JsonObject
                {
                    ["apiVersion"] = "apps/v1",
                    ["kind"] = "Deployment",
                    ["name"] = d.Name(),
                    ["uid"] = d.Uid(),
                    ["controller"] = true,
                    ["blockOwnerDeletion"] = true,
                }),
            },
            // Scaled up by the strategy right after, within its limits.
            ["spec"] = new JsonObject
            {
                ["replicas"] = 0,
                ["minReadySeconds"] = d.Long("spec", "minReadySeconds") ?? 0,
                ["selector"] = selector,
                ["template"] = template,
            },
        };
        try
        {
            return await rollout.Context.Client.CreateAsync(ApiResource.ReplicaSets, d.Namespace(), rs, token: token).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.Code == 409 && e.Reason == "AlreadyExists")
        {
            // Ours but not yet in the cache: use it. Someone else's (or another template's): hash again with a new collision count.
            var found = await rollout.Context.Client.GetAsync(ApiResource.ReplicaSets, d.Namespace(), rs.Name(), token).ConfigureAwait(false);
            if (found.ControllerUid() == d.Uid() && PodTemplateHash.SameTemplate(found.Obj("spec", "template"), d.Obj("spec", "template")))
                return found;
            var status = d.Copy();
            status.Child("status")["collisionCount"] = collisions + 1;
            await rollout.Context.Client.UpdateAsync(ApiResource.Deployments, status, subresource: "status", token: token).ConfigureAwait(false);
            throw;
        }
    }
}
