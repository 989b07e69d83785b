namespace Orchestrator.Controllers.Scheduling;

/// <summary>Tunables of the scheduler.</summary>
public sealed record SchedulerOptions
{
    /// <summary>
    /// Binding requests in flight at once. Each binding is one Raft commit (~1 ms of leader work but several
    /// ms of round trip), so a handful in flight is what keeps the scheduler above a few hundred pods/s.
    /// </summary>
    public int BindingsInFlight { get; init; } = 32;

    /// <summary>Backoff after a pod's first failed attempt; it doubles with each further attempt (kube: podInitialBackoffSeconds).</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The cap of the backoff (kube: podMaxBackoffSeconds).</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The longest a pod that fits nowhere waits for a cluster change before it is tried again anyway
    /// (kube: --pod-max-in-unschedulable-pods-duration). Every retry of a pod costs an event, so with no
    /// nodes at all this bounds the scheduler's own writes to about one per pod per 5 minutes.
    /// </summary>
    public TimeSpan MaxInUnschedulable { get; init; } = TimeSpan.FromMinutes(5);
}
