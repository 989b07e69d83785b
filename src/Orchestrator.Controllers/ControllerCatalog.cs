using Orchestrator.Controllers.Batch;
using Orchestrator.Controllers.Disruption;
using Orchestrator.Controllers.GarbageCollection;
using Orchestrator.Controllers.Namespaces;
using Orchestrator.Controllers.Nodes;
using Orchestrator.Controllers.Runtime;
using Orchestrator.Controllers.ServiceAccounts;
using Orchestrator.Controllers.Services;
using Orchestrator.Controllers.Workloads;

namespace Orchestrator.Controllers;

/// <summary>Every controller the controller manager runs, made fresh for each leadership term.</summary>
public static class ControllerCatalog
{
    public static IReadOnlyList<IController> Create(ControllerSettings settings) =>
    [
        new EndpointsController(),
        new LoadBalancerController(),
        new JobController(),
        new CronJobController(),
        new DisruptionController(),
        new ReplicaSetController(ReplicatedKind.ReplicaSets),
        new ReplicaSetController(ReplicatedKind.ReplicationControllers),
        new DeploymentController(),
        new GarbageCollector(),
        new NamespaceController(),
        new ServiceAccountController(),
        new RootCaPublisher(),
        new NodeLifecycleController(),
    ];
}
