namespace Orchestrator.Controllers.Scheduling;

/// <summary>
/// Pods waiting to be scheduled, by key. Active pods are handed out in FIFO order, once each however often
/// they are added. A pod that did not fit waits among the unschedulable until something changes in the
/// cluster (<see cref="MoveAllToActive"/>) or the periodic flush, and then after its backoff
/// (1 s doubling to 10 s, as kube-scheduler), so a busy cluster does not spin on a pod that cannot fit.
/// </summary>
public sealed class SchedulingQueue(TimeProvider clock)
{
    private static readonly TimeSpan InitialBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

    private readonly object gate = new();
    private readonly Queue<string> active = new();
    private readonly HashSet<string> queued = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> unschedulable = new(StringComparer.Ordinal); // key -> timestamp it may retry
    private readonly Dictionary<string, int> attempts = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim available = new(0);

    public int ActiveCount
    {
        get { lock (gate) return active.Count; }
    }

    public int UnschedulableCount
    {
        get { lock (gate) return unschedulable.Count; }
    }

    public bool IsUnschedulable(string key)
    {
        lock (gate) return unschedulable.ContainsKey(key);
    }

    public void Add(string key)
    {
        lock (gate)
        {
            unschedulable.Remove(key);
            if (!queued.Add(key))
                return;
            active.Enqueue(key);
        }
        available.Release();
    }

    /// <summary>The pod is gone, bound, or no longer ours: drop every trace of it (a stale active entry is skipped when taken).</summary>
    public void Delete(string key)
    {
        lock (gate)
        {
            unschedulable.Remove(key);
            attempts.Remove(key);
        }
    }

    /// <summary>Parks a pod that fits nowhere until the cluster changes.</summary>
    public void AddUnschedulable(string key)
    {
        lock (gate)
            unschedulable[key] = clock.GetTimestamp() + (long)(NextBackoff(key).TotalSeconds * clock.TimestampFrequency);
    }

    /// <summary>Retries a pod after its backoff (a failed binding).</summary>
    public void AddBackoff(string key)
    {
        TimeSpan delay;
        lock (gate)
            delay = NextBackoff(key);
        After(key, delay);
    }

    /// <summary>Something changed that may make unschedulable pods fit: retry each once its backoff is over.</summary>
    public void MoveAllToActive()
    {
        List<(string Key, TimeSpan Wait)> moved;
        lock (gate)
        {
            if (unschedulable.Count == 0)
                return;
            var now = clock.GetTimestamp();
            moved = [.. unschedulable.Select(p => (p.Key, TimeSpan.FromSeconds(Math.Max(0, p.Value - now) / (double)clock.TimestampFrequency)))];
            unschedulable.Clear();
        }
        foreach (var (key, wait) in moved)
            After(key, wait);
    }

    public async Task<string> TakeAsync(CancellationToken token)
    {
        while (true)
        {
            await available.WaitAsync(token).ConfigureAwait(false);
            lock (gate)
            {
                if (active.TryDequeue(out var key))
                {
                    queued.Remove(key);
                    return key;
                }
            }
        }
    }

    private void After(string key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }
        ITimer? timer = null;
        timer = clock.CreateTimer(_ =>
        {
            Add(key);
            timer?.Dispose();
        }, null, delay, Timeout.InfiniteTimeSpan);
    }

    private TimeSpan NextBackoff(string key)
    {
        var count = attempts.GetValueOrDefault(key);
        attempts[key] = count + 1;
        return TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, InitialBackoff.Ticks << Math.Min(count, 10)));
    }
}
