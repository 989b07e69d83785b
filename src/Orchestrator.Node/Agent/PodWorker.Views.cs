namespace Orchestrator.Node.Agent;

// Read-only views (with Namespace and Name in PodWorker.Status.cs) for the agent's HTTP endpoint (logs, stats). The fields read here are written by the worker's
// own task; a reader may see a value one sync old, which is what kubelet's status cache gives as well.
internal sealed partial class PodWorker
{
    public IReadOnlyList<ContainerSlot> Containers => slots;
}
