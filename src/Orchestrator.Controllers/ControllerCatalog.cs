using Orchestrator.Controllers.Nodes;
using Orchestrator.Controllers.Runtime;

namespace Orchestrator.Controllers;

/// <summary>Every controller the controller manager runs, made fresh for each leadership term.</summary>
public static class ControllerCatalog
{
    public static IReadOnlyList<IController> Create(ControllerSettings settings) =>
    [
        new NodeLifecycleController(),
    ];
}
