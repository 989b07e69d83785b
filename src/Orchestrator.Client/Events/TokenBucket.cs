namespace Orchestrator.Client.Events;

/// <summary>
/// A passive token bucket on an injected clock, as client-go's NewTokenBucketPassiveRateLimiterWithClock:
/// starts full, refills continuously at <c>1 / refill</c> tokens per unit of time up to the burst, and never
/// waits. (System.Threading.RateLimiting's TokenBucketRateLimiter reads Stopwatch itself and brings a lock,
/// a queue and IDisposable per instance; the spam filter keeps up to 4096 buckets and must be testable
/// on a fake clock.) Not thread-safe: the owner serialises access.
/// </summary>
internal sealed class TokenBucket(int burst, TimeSpan refill, long now)
{
    private double tokens = burst;
    private long updated = now;

    /// <summary>Takes a token if one is there at <paramref name="now"/> (a <see cref="TimeProvider.GetTimestamp"/> value).</summary>
    public bool TryTake(long now, long frequency)
    {
        var elapsed = (now - updated) / (double)frequency;
        if (elapsed > 0)
        {
            tokens = Math.Min(burst, tokens + elapsed / refill.TotalSeconds);
            updated = now;
        }
        if (tokens < 1)
            return false;
        tokens--;
        return true;
    }
}
