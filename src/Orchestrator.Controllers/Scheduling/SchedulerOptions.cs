namespace Orchestrator.Controllers.Scheduling;

/// <summary>Tunables of the scheduler.</summary>
public sealed record SchedulerOptions
{
    /// <summary>
    /// Binding requests in flight at once. Each binding is one Raft commit (~1 ms of leader work but several
    /// ms of round trip), so a handful in flight is what keeps the scheduler above a few hundred pods/s.
    /// </summary>
    public int BindingsInFlight { get; init; } = 32;

    /// <summary>How often pods that fit nowhere are retried even if nothing seemed to change (kube: 5 min cap; shorter here).</summary>
    public TimeSpan UnschedulableFlushInterval { get; init; } = TimeSpan.FromSeconds(15);
}
