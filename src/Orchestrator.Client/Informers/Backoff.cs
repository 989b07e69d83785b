namespace Orchestrator.Client.Informers;

/// <summary>Exponential backoff with jitter, capped; reset after a success.</summary>
internal sealed class Backoff
{
    private readonly TimeSpan initial;
    private readonly TimeSpan max;
    private TimeSpan next;

    public Backoff(TimeSpan initial, TimeSpan max)
    {
        this.initial = initial;
        this.max = max;
        next = initial;
    }

    public TimeSpan Next()
    {
        var current = next;
        next = TimeSpan.FromTicks(Math.Min(max.Ticks, next.Ticks * 2));
        // Jitter in [current/2, current]: spreads reconnects of many informers after a replica restarts.
        return current / 2 + current / 2 * Random.Shared.NextDouble();
    }

    public void Reset() => next = initial;
}
