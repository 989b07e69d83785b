namespace Orchestrator.Controllers.Runtime;

/// <summary>
/// A queue of object keys to reconcile, as client-go's workqueue: a key waiting is queued once however
/// often it is added; a key being processed is not handed to a second worker, and if it was added
/// meanwhile it is queued again when the first worker is done. Failed keys come back with backoff.
/// </summary>
public sealed class WorkQueue(TimeProvider clock)
{
    private static readonly TimeSpan BaseDelay = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    private readonly object gate = new();
    private readonly Queue<string> queue = new();
    private readonly HashSet<string> dirty = [];
    private readonly HashSet<string> processing = [];
    private readonly Dictionary<string, int> failures = [];
    private readonly SemaphoreSlim available = new(0);

    public int Count
    {
        get { lock (gate) return queue.Count; }
    }

    public void Add(string key)
    {
        lock (gate)
        {
            if (!dirty.Add(key))
                return;
            if (processing.Contains(key))
                return; // queued again by Done
            queue.Enqueue(key);
        }
        available.Release();
    }

    /// <summary>Adds the key after a delay (requeue-after, e.g. for minReadySeconds or a cron schedule).</summary>
    public void AddAfter(string key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }
        var timer = clock.CreateTimer(_ => Add(key), null, delay, Timeout.InfiniteTimeSpan);
        // The timer fires once; keep it reachable until then.
        _ = Task.Delay(delay + TimeSpan.FromSeconds(1), clock).ContinueWith(_ => timer.Dispose(), TaskScheduler.Default);
    }

    /// <summary>Adds the key after a per-key exponential backoff (5 ms doubling to 30 s).</summary>
    public void AddRateLimited(string key)
    {
        int count;
        lock (gate)
        {
            failures.TryGetValue(key, out count);
            failures[key] = count + 1;
        }
        var delay = TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, BaseDelay.Ticks << Math.Min(count, 20)));
        AddAfter(key, delay);
    }

    /// <summary>Clears the backoff of a key that was reconciled successfully.</summary>
    public void Forget(string key)
    {
        lock (gate)
            failures.Remove(key);
    }

    public async Task<string> TakeAsync(CancellationToken token)
    {
        while (true)
        {
            await available.WaitAsync(token).ConfigureAwait(false);
            lock (gate)
            {
                if (queue.Count == 0)
                    continue;
                var key = queue.Dequeue();
                dirty.Remove(key);
                processing.Add(key);
                return key;
            }
        }
    }

    public void Done(string key)
    {
        var again = false;
        lock (gate)
        {
            processing.Remove(key);
            if (dirty.Contains(key))
            {
                queue.Enqueue(key);
                again = true;
            }
        }
        if (again)
            available.Release();
    }
}
