namespace Orchestrator.Storage.Watch;

/// <summary>How many recent events a replica keeps for watchers; older starting points get "expired".</summary>
public sealed record WatchWindowOptions
{
    public int MaxEvents { get; init; } = 100_000;

    public TimeSpan MaxAge { get; init; } = TimeSpan.FromMinutes(10);
}
