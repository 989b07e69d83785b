using Orchestrator.Server.CustomResources;
using System.Collections.Frozen;
using Orchestrator.Api.Registry;
using Orchestrator.Api.Schema;

namespace Orchestrator.Server.Resources.Strategies;

/// <summary>The strategy of each built-in kind; kinds not listed use the default.</summary>
public sealed class StrategyTable
{
    private readonly FrozenDictionary<GroupKind, ResourceStrategy> strategies;

    public StrategyTable(ServiceIpAllocator serviceIps)
    {
        // Kinds whose spec changes are counted in metadata.generation, with no other rule of their own.
        var tracked = new ResourceStrategy { TracksGeneration = true };
        // Written by PUT whether or not they exist yet (controllers, leader election, event recorders rely on it).
        var upserted = new ResourceStrategy { AllowsCreateOnUpdate = true };
        strategies = new Dictionary<GroupKind, ResourceStrategy>
        {
            [new("", "Pod")] = new PodStrategy(),
            [new("", "Service")] = new ServiceStrategy(serviceIps),
            [new("", "Secret")] = new SecretStrategy(),
            [new("", "ConfigMap")] = new ConfigMapStrategy(),
            [new("", "Namespace")] = new NamespaceStrategy(),
            [new("", "Node")] = new NodeStrategy(),
            [new("", "Endpoints")] = upserted,
            [new("", "Event")] = upserted,
            [new("coordination.k8s.io", "Lease")] = upserted,
            [new("", "ReplicationController")] = new ReplicationControllerStrategy { TracksGeneration = true },
            [new("apps", "Deployment")] = new WorkloadStrategy("Deployment") { TracksGeneration = true },
            [new("apps", "ReplicaSet")] = new WorkloadStrategy("ReplicaSet") { TracksGeneration = true },
            [new("apps", "StatefulSet")] = new WorkloadStrategy("StatefulSet") { TracksGeneration = true },
            [new("apps", "DaemonSet")] = new WorkloadStrategy("DaemonSet") { TracksGeneration = true },
            [new("batch", "Job")] = new JobStrategy() { TracksGeneration = true },
            [new("batch", "CronJob")] = new CronJobStrategy() { TracksGeneration = true },
            [new("networking.k8s.io", "Ingress")] = tracked,
            [new("networking.k8s.io", "IngressClass")] = tracked,
            [new("networking.k8s.io", "NetworkPolicy")] = tracked,
            [new("policy", "PodDisruptionBudget")] = tracked,
            [new("rbac.authorization.k8s.io", "Role")] = new RoleStrategy(clusterScoped: false),
            [new("rbac.authorization.k8s.io", "ClusterRole")] = new RoleStrategy(clusterScoped: true),
            [new("rbac.authorization.k8s.io", "RoleBinding")] = new RoleBindingStrategy(clusterScoped: false),
            [new("rbac.authorization.k8s.io", "ClusterRoleBinding")] = new RoleBindingStrategy(clusterScoped: true),
            [new("apiextensions.k8s.io", "CustomResourceDefinition")] = new CustomResourceDefinitionStrategy(),
        }.ToFrozenDictionary();
    }

    /// <summary>A custom resource's strategy comes from its definition's schema; a built-in's from the table.</summary>
    public ResourceStrategy For(ResourceDefinition resource) =>
        resource.Custom is { } custom ? new CustomResourceStrategy(custom) : strategies.GetValueOrDefault(resource.GroupKind, ResourceStrategy.Default);
}
