using Orchestrator.Client;

namespace Orchestrator.Controllers.Workloads;

/// <summary>
/// What differs between the kinds that keep N copies of a pod template, for <see cref="ReplicaSetController"/>: the
/// collection it watches and writes status to, and the ownerReference its pods carry.
/// </summary>
public sealed record ReplicatedKind(string ControllerName, ApiResource Resource, string ApiVersion, string Kind)
{
    public static ReplicatedKind ReplicaSets { get; } = new("replicaset", ApiResource.ReplicaSets, "apps/v1", "ReplicaSet");

    public static ReplicatedKind ReplicationControllers { get; } =
        new("replicationcontroller", ApiResource.ReplicationControllers, "v1", "ReplicationController");
}
