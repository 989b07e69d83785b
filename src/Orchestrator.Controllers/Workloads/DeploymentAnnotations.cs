namespace Orchestrator.Controllers.Workloads;

/// <summary>The annotations the deployment controller writes, which kubectl rollout history/undo read.</summary>
public static class DeploymentAnnotations
{
    public const string Revision = "deployment.kubernetes.io/revision";
    public const string DesiredReplicas = "deployment.kubernetes.io/desired-replicas";
    public const string MaxReplicas = "deployment.kubernetes.io/max-replicas";
    public const string RevisionHistory = "deployment.kubernetes.io/revision-history";
    public const string LastApplied = "kubectl.kubernetes.io/last-applied-configuration";

    /// <summary>Deployment annotations that are not copied to its ReplicaSets (kube's annotationsToSkip).</summary>
    public static bool IsCopiedToReplicaSet(string annotation) =>
        annotation != LastApplied && !annotation.StartsWith("deployment.kubernetes.io/", StringComparison.Ordinal);
}
