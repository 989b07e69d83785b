using System.Collections.Concurrent;

namespace Orchestrator.Storage.Replication;

/// <summary>The answer for one unit of quota: granted or not, what is left, and when the window resets.</summary>
public readonly record struct QuotaDecision(bool Granted, long Remaining, DateTimeOffset Reset);

/// <summary>
/// Fixed-window counters by key. Windows are aligned to the clock (a one-minute window runs from :00 to :00), so
/// every replica agrees where a window ends whoever counts it. Old windows are dropped as they are replaced.
/// </summary>
public sealed class QuotaWindows(TimeProvider clock)
{
    private sealed class Window(long start)
    {
        public readonly long Start = start;
        public long Used;
    }

    private readonly ConcurrentDictionary<string, Window> windows = new(StringComparer.Ordinal);

    public QuotaDecision Take(string key, long limit, TimeSpan window)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var length = Math.Max(1, (long)window.TotalMilliseconds);
        var start = now - now % length;
        var current = windows.AddOrUpdate(key, _ => new Window(start), (_, existing) => existing.Start == start ? existing : new Window(start));
        var used = Interlocked.Increment(ref current.Used);
        var reset = DateTimeOffset.FromUnixTimeMilliseconds(start + length);
        if (used > limit)
            return new QuotaDecision(false, 0, reset);
        return new QuotaDecision(true, limit - used, reset);
    }
}
