namespace Orchestrator.Storage.Watch;

/// <summary>
/// The bounded window of recent committed events a replica serves watches from, and the applied-revision
/// signal that read-your-writes waits on. Watchers pull from it with their own cursor, so a slow watcher
/// costs nothing until it falls out of the window, and then it is told so (expired) instead of
/// silently missing events.
/// </summary>
public sealed class EventWindow
{
    private readonly object gate = new();
    private readonly WatchWindowOptions options;
    private readonly TimeProvider clock;
    private WatchEvent[] ring;
    private long[] appendedAt;
    private int head, count;
    private long currentRevision;
    private long oldestRevision; // every event with a revision > this is in the window
    private TaskCompletionSource changed = NewSignal();

    public EventWindow(WatchWindowOptions options, TimeProvider clock, long startRevision)
    {
        this.options = options;
        this.clock = clock;
        ring = new WatchEvent[Math.Min(options.MaxEvents, 1024)];
        appendedAt = new long[ring.Length];
        currentRevision = oldestRevision = startRevision;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The last applied revision (log index) of this replica.</summary>
    public long CurrentRevision => Volatile.Read(ref currentRevision);

    public long OldestRevision
    {
        get { lock (gate) return oldestRevision; }
    }

    public int Count
    {
        get { lock (gate) return count; }
    }

    /// <summary>Forgets every event and restarts at <paramref name="revision"/> (after a snapshot install).</summary>
    public void Reset(long revision)
    {
        TaskCompletionSource signal;
        lock (gate)
        {
            Array.Clear(ring);
            head = count = 0;
            currentRevision = oldestRevision = revision;
            signal = changed;
            changed = NewSignal();
        }
        signal.TrySetResult();
    }

    /// <summary>Records the events of one applied entry and advances the applied revision.</summary>
    public void Append(long revision, WatchEvent? watchEvent)
    {
        TaskCompletionSource signal;
        lock (gate)
        {
            if (watchEvent is not null)
            {
                EvictOld();
                if (count == ring.Length)
                    Grow();
                var slot = (head + count) % ring.Length;
                ring[slot] = watchEvent;
                appendedAt[slot] = clock.GetTimestamp();
                count++;
            }
            Volatile.Write(ref currentRevision, revision);
            signal = changed;
            changed = NewSignal();
        }
        signal.TrySetResult();
    }

    private void EvictOld()
    {
        var maxAgeTicks = (long)(options.MaxAge.TotalSeconds * clock.TimestampFrequency);
        var now = clock.GetTimestamp();
        while (count > 0 && (count >= options.MaxEvents || now - appendedAt[head] > maxAgeTicks))
        {
            oldestRevision = ring[head].Revision;
            ring[head] = null!;
            head = (head + 1) % ring.Length;
            count--;
        }
    }

    private void Grow()
    {
        var size = Math.Min(options.MaxEvents, ring.Length * 2);
        var newRing = new WatchEvent[size];
        var newTimes = new long[size];
        for (var i = 0; i < count; i++)
        {
            newRing[i] = ring[(head + i) % ring.Length];
            newTimes[i] = appendedAt[(head + i) % ring.Length];
        }
        ring = newRing;
        appendedAt = newTimes;
        head = 0;
    }

    /// <summary>
    /// Copies up to <paramref name="max"/> events with a revision greater than <paramref name="after"/>.
    /// <paramref name="progress"/> is the revision the reader is complete up to after these events.
    /// Throws <see cref="RevisionExpiredException"/> when events after it have already left the window.
    /// </summary>
    public List<WatchEvent> Read(long after, int max, out long progress, out Task changedSignal)
    {
        lock (gate)
        {
            changedSignal = changed.Task;
            if (after < oldestRevision)
                throw new RevisionExpiredException(after, oldestRevision);
            var result = new List<WatchEvent>();
            var start = FirstAfter(after);
            var i = start;
            for (; i < count && result.Count < max; i++)
                result.Add(ring[(head + i) % ring.Length]);
            progress = i < count ? result[^1].Revision : Math.Max(after, currentRevision);
            return result;
        }
    }

    private int FirstAfter(long revision)
    {
        int lo = 0, hi = count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (ring[(head + mid) % ring.Length].Revision <= revision)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo;
    }

    /// <summary>Completes once this replica has applied <paramref name="revision"/>.</summary>
    public async ValueTask WaitForRevisionAsync(long revision, CancellationToken token)
    {
        while (true)
        {
            Task signal;
            lock (gate)
            {
                if (currentRevision >= revision)
                    return;
                signal = changed.Task;
            }
            await signal.WaitAsync(token).ConfigureAwait(false);
        }
    }
}
