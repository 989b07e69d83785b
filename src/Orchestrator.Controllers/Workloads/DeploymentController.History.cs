using Orchestrator.Client;
using Orchestrator.Controllers.Runtime;

namespace Orchestrator.Controllers.Workloads;

partial class DeploymentController
{
    /// <summary>revisionHistoryLimit: delete the oldest old ReplicaSets beyond it, only those fully scaled down.</summary>
    private static async Task CleanupHistoryAsync(Rollout rollout, CancellationToken token)
    {
        var limit = rollout.Deployment.Long("spec", "revisionHistoryLimit") ?? 10;
        var candidates = rollout.Old.Where(rs => !rs.IsDeleting()).OrderBy(RevisionOf).ToList();
        var excess = candidates.Count - limit;
        foreach (var rs in candidates)
        {
            if (excess <= 0)
                break;
            if (StatusCount(rs, "replicas") != 0 || Replicas(rs) != 0
                || (rs.Long("metadata", "generation") ?? 1) > (rs.Long("status", "observedGeneration") ?? 0))
                continue;
            try
            {
                await rollout.Context.Client.DeleteAsync(ApiResource.ReplicaSets, rs.Namespace(), rs.Name(),
                    new DeleteOptions { PreconditionUid = rs.Uid(), PreconditionResourceVersion = rs.Str("metadata", "resourceVersion") }, token).ConfigureAwait(false);
            }
            catch (KubeApiException e) when (e.Code == 404)
            {
            }
            excess--;
        }
    }
}
