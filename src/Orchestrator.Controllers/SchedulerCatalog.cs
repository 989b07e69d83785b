using Orchestrator.Controllers.Runtime;
using Orchestrator.Controllers.Scheduling;

namespace Orchestrator.Controllers;

/// <summary>What runs under the scheduler's own lease (kube-scheduler is elected apart from the controller manager).</summary>
public static class SchedulerCatalog
{
    public static IReadOnlyList<IController> Create(ControllerSettings settings) =>
    [
        new Scheduler(new SchedulerOptions()),
    ];
}
