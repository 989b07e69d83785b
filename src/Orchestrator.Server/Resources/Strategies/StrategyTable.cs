using System.Collections.Frozen;
using Orchestrator.Api.Schema;

namespace Orchestrator.Server.Resources.Strategies;

/// <summary>The strategy of each built-in kind; every other kind (custom resources too) uses the default.</summary>
public sealed class StrategyTable
{
    private readonly FrozenDictionary<GroupKind, ResourceStrategy> strategies;

    public StrategyTable(ServiceIpAllocator serviceIps)
    {
        strategies = new Dictionary<GroupKind, ResourceStrategy>
        {
            [new("", "Pod")] = new PodStrategy(),
            [new("", "Service")] = new ServiceStrategy(serviceIps),
            [new("", "Secret")] = new SecretStrategy(),
            [new("", "ConfigMap")] = new ConfigMapStrategy(),
            [new("", "Namespace")] = new NamespaceStrategy(),
            [new("", "Node")] = new NodeStrategy(),
            [new("apps", "Deployment")] = new WorkloadStrategy("Deployment"),
            [new("apps", "ReplicaSet")] = new WorkloadStrategy("ReplicaSet"),
            [new("apps", "StatefulSet")] = new WorkloadStrategy("StatefulSet"),
            [new("apps", "DaemonSet")] = new WorkloadStrategy("DaemonSet"),
            [new("batch", "Job")] = new JobStrategy(),
            [new("batch", "CronJob")] = new CronJobStrategy(),
        }.ToFrozenDictionary();
    }

    public ResourceStrategy For(GroupKind kind) => strategies.GetValueOrDefault(kind, ResourceStrategy.Default);
}
