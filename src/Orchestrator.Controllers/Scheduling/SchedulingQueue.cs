namespace Orchestrator.Controllers.Scheduling;

/// <summary>
/// Pods waiting to be scheduled, by key, as kube-scheduler's PriorityQueue (without priorities): an active
/// queue handed out in FIFO order, a backoff queue of pods whose last attempt failed and whose backoff
/// (1 s doubling per attempt to 10 s) is not over, and the unschedulable pods, which wait for a cluster
/// change that could make them fit (<see cref="MoveAllToActiveOrBackoff"/>) or at most
/// <see cref="SchedulerOptions.MaxInUnschedulable"/>. A pod is in at most one of these, or in flight (handed
/// out and not yet settled), never twice: adding a pod that is already there changes nothing.
/// </summary>
/// <remarks>
/// With no nodes every pod is unschedulable, and each attempt costs a status write and an event: the
/// unschedulable queue is what keeps those writes to one per pod per cluster change (or per 5 minutes)
/// rather than one per pod every few seconds. Time is the injected clock; <see cref="RunAsync"/> runs the
/// two periodic flushes (backoff every second, leftovers every 30 s, as kube-scheduler), which tests call
/// directly instead.
/// </remarks>
public sealed class SchedulingQueue(TimeProvider clock, SchedulerOptions? options = null)
{
    /// <summary>kube-scheduler's flushBackoffQCompleted period.</summary>
    public static readonly TimeSpan BackoffFlushPeriod = TimeSpan.FromSeconds(1);

    /// <summary>kube-scheduler's flushUnschedulablePodsLeftover period.</summary>
    public static readonly TimeSpan UnschedulableFlushPeriod = TimeSpan.FromSeconds(30);

    private readonly SchedulerOptions options = options ?? new SchedulerOptions();
    private readonly object gate = new();
    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private readonly Queue<Entry> active = new(); // may hold stale entries (deleted, or moved on): skipped when taken
    private readonly HashSet<Entry> backoff = [];
    private readonly HashSet<Entry> unschedulable = [];
    private readonly SemaphoreSlim available = new(0);
    private int activeCount;
    private long cycle; // hand-outs so far (kube's schedulingCycle)
    private long moveRequestCycle = -1; // the cycle of the last cluster change

    private enum Place
    {
        Active,
        Backoff,
        Unschedulable,
        InFlight,
    }

    private sealed class Entry(string key)
    {
        public string Key { get; } = key;

        public Place Place { get; set; }

        /// <summary>Times handed out; the backoff doubles with each.</summary>
        public int Attempts { get; set; }

        /// <summary>Clock timestamp of the last failure: backoff and the unschedulable stay count from it.</summary>
        public long FailedAt { get; set; }

        /// <summary>The cycle it was last handed out in: a cluster change since then means it must not wait for another.</summary>
        public long Cycle { get; set; }

        /// <summary>Its own spec changed while it was in flight.</summary>
        public bool MoveRequested { get; set; }
    }

    public int ActiveCount
    {
        get { lock (gate) return activeCount; }
    }

    public int BackoffCount
    {
        get { lock (gate) return backoff.Count; }
    }

    public int UnschedulableCount
    {
        get { lock (gate) return unschedulable.Count; }
    }

    /// <summary>Pods tracked in any state, in flight included.</summary>
    public int Count
    {
        get { lock (gate) return entries.Count; }
    }

    public bool IsUnschedulable(string key)
    {
        lock (gate) return entries.TryGetValue(key, out var entry) && entry.Place == Place.Unschedulable;
    }

    public bool IsBackingOff(string key)
    {
        lock (gate) return entries.TryGetValue(key, out var entry) && entry.Place == Place.Backoff;
    }

    public bool Contains(string key)
    {
        lock (gate) return entries.ContainsKey(key);
    }

    /// <summary>The backoff a pod gets after its current number of attempts: 1 s, 2 s, 4 s, 8 s, then 10 s.</summary>
    public TimeSpan BackoffOf(string key)
    {
        lock (gate) return entries.TryGetValue(key, out var entry) ? Backoff(entry.Attempts) : TimeSpan.Zero;
    }

    /// <summary>A pending pod seen for the first time: active. A pod already queued, parked or in flight stays where it is.</summary>
    public void Add(string key)
    {
        lock (gate)
        {
            if (entries.ContainsKey(key))
                return;
            var entry = new Entry(key);
            entries[key] = entry;
            Activate(entry);
        }
    }

    /// <summary>
    /// The pod's scheduling input (spec, labels) changed: an unschedulable pod goes back (to backoff while
    /// its backoff lasts), one in flight is marked so a failure does not park it. Status-only updates
    /// (the scheduler's own condition write among them) must not come here.
    /// </summary>
    public void Update(string key)
    {
        lock (gate)
        {
            if (!entries.TryGetValue(key, out var entry))
            {
                entry = new Entry(key);
                entries[key] = entry;
                Activate(entry);
                return;
            }
            switch (entry.Place)
            {
                case Place.Unschedulable:
                    unschedulable.Remove(entry);
                    ActivateOrBackoff(entry, clock.GetTimestamp());
                    break;
                case Place.InFlight:
                    entry.MoveRequested = true;
                    break;
            }
        }
    }

    /// <summary>The pod is gone, bound, or no longer ours: drop every trace of it, its attempts too.</summary>
    public void Delete(string key)
    {
        lock (gate)
        {
            if (!entries.Remove(key, out var entry))
                return;
            switch (entry.Place)
            {
                case Place.Active:
                    activeCount--;
                    break;
                case Place.Backoff:
                    backoff.Remove(entry);
                    break;
                case Place.Unschedulable:
                    unschedulable.Remove(entry);
                    break;
            }
        }
    }

    /// <summary>
    /// A pod handed out fits nowhere: it waits among the unschedulable for a cluster change, or, if one came
    /// while it was being tried (kube's moveRequestCycle), only for its backoff.
    /// </summary>
    public void AddUnschedulable(string key)
    {
        lock (gate)
        {
            if (!entries.TryGetValue(key, out var entry) || entry.Place != Place.InFlight)
                return;
            entry.FailedAt = clock.GetTimestamp();
            if (entry.MoveRequested || moveRequestCycle >= entry.Cycle)
            {
                entry.MoveRequested = false;
                ToBackoff(entry);
                return;
            }
            entry.Place = Place.Unschedulable;
            unschedulable.Add(entry);
        }
    }

    /// <summary>A pod handed out failed for another reason (its binding): retried after its backoff.</summary>
    public void AddBackoff(string key)
    {
        lock (gate)
        {
            if (!entries.TryGetValue(key, out var entry) || entry.Place != Place.InFlight)
                return;
            entry.FailedAt = clock.GetTimestamp();
            entry.MoveRequested = false;
            ToBackoff(entry);
        }
    }

    /// <summary>
    /// Something changed in the cluster that may make unschedulable pods fit: each goes to the active queue,
    /// or to the backoff queue while its backoff lasts. Pods in flight are marked (see <see cref="AddUnschedulable"/>).
    /// </summary>
    public void MoveAllToActiveOrBackoff()
    {
        lock (gate)
        {
            moveRequestCycle = cycle;
            if (unschedulable.Count == 0)
                return;
            var now = clock.GetTimestamp();
            foreach (var entry in unschedulable.OrderBy(e => e.FailedAt))
                ActivateOrBackoff(entry, now);
            unschedulable.Clear();
        }
    }

    /// <summary>Moves pods whose backoff is over to the active queue, oldest failure first.</summary>
    public void FlushBackoffCompleted()
    {
        lock (gate)
        {
            if (backoff.Count == 0)
                return;
            var now = clock.GetTimestamp();
            foreach (var entry in backoff.Where(e => !IsBackingOff(e, now)).OrderBy(e => e.FailedAt).ToList())
            {
                backoff.Remove(entry);
                Activate(entry);
            }
        }
    }

    /// <summary>Moves pods that waited <see cref="SchedulerOptions.MaxInUnschedulable"/> or longer among the unschedulable.</summary>
    public void FlushUnschedulableLeftover()
    {
        lock (gate)
        {
            if (unschedulable.Count == 0)
                return;
            var now = clock.GetTimestamp();
            foreach (var entry in unschedulable.Where(e => clock.GetElapsedTime(e.FailedAt, now) >= options.MaxInUnschedulable).OrderBy(e => e.FailedAt).ToList())
            {
                unschedulable.Remove(entry);
                ActivateOrBackoff(entry, now);
            }
        }
    }

    /// <summary>Waits for an active pod and hands it out: it is in flight until added back or deleted.</summary>
    public async Task<string> TakeAsync(CancellationToken token)
    {
        while (true)
        {
            await available.WaitAsync(token).ConfigureAwait(false);
            lock (gate)
            {
                if (active.TryDequeue(out var entry) && entry.Place == Place.Active && entries.GetValueOrDefault(entry.Key) == entry)
                {
                    activeCount--;
                    entry.Place = Place.InFlight;
                    entry.Attempts++;
                    entry.MoveRequested = false;
                    entry.Cycle = ++cycle;
                    return entry.Key;
                }
            }
        }
    }

    /// <summary>Runs the periodic flushes until cancelled.</summary>
    public Task RunAsync(CancellationToken token) =>
        Task.WhenAll(EveryAsync(BackoffFlushPeriod, FlushBackoffCompleted, token), EveryAsync(UnschedulableFlushPeriod, FlushUnschedulableLeftover, token));

    private async Task EveryAsync(TimeSpan period, Action flush, CancellationToken token)
    {
        using var timer = new PeriodicTimer(period, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
                flush();
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    private void Activate(Entry entry)
    {
        entry.Place = Place.Active;
        active.Enqueue(entry);
        activeCount++;
        available.Release();
    }

    private void ToBackoff(Entry entry)
    {
        entry.Place = Place.Backoff;
        backoff.Add(entry);
    }

    private void ActivateOrBackoff(Entry entry, long now)
    {
        if (IsBackingOff(entry, now))
            ToBackoff(entry);
        else
            Activate(entry);
    }

    private bool IsBackingOff(Entry entry, long now) => clock.GetElapsedTime(entry.FailedAt, now) < Backoff(entry.Attempts);

    /// <summary>kube-scheduler's calculateBackoffDuration: the initial backoff doubled per attempt after the first, capped.</summary>
    private TimeSpan Backoff(int attempts)
    {
        var delay = options.InitialBackoff;
        for (var i = 1; i < attempts; i++)
        {
            delay += delay;
            if (delay >= options.MaxBackoff)
                return options.MaxBackoff;
        }
        return delay;
    }
}
