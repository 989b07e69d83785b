using System.Text.Json.Nodes;

namespace Orchestrator.Client.Events;

/// <summary>Limits of <see cref="EventCorrelator"/>; the defaults are client-go's.</summary>
public sealed record EventCorrelatorOptions
{
    /// <summary>Distinct messages of one reason about one object within <see cref="Window"/> before they are combined (maxEvents).</summary>
    public int MaxSimilar { get; init; } = 10;

    /// <summary>How long a repeat still counts as one (identical events) or one group (similar events) since the last occurrence.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Events one source may write about one object at once (the spam filter's burst).</summary>
    public int SpamBurst { get; init; } = 25;

    /// <summary>After the burst, one more write per this period (client-go: qps 1/300).</summary>
    public TimeSpan SpamRefill { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Keys each of the three caches tracks at most; the least recently used is forgotten (maxLruCacheEntries).</summary>
    public int CacheSize { get; init; } = 4096;
}

/// <summary>
/// One Event object as it should stand on the server after its latest occurrence. <see cref="Count"/> 1 means
/// a new object; more, a repeat of <see cref="Name"/> whose count and lastTimestamp (and message) are bumped.
/// </summary>
public sealed record CorrelatedEvent(
    string Key,
    string Namespace,
    string Name,
    JsonObject Involved,
    string Type,
    string Reason,
    string Message,
    int Count,
    DateTimeOffset FirstTimestamp,
    DateTimeOffset LastTimestamp)
{
    public bool IsNew => Count == 1;
}

/// <summary>
/// Decides what one recorded event costs the API, as client-go's EventCorrelator, with no I/O:
/// <list type="number">
/// <item>aggregation: the <see cref="EventCorrelatorOptions.MaxSimilar"/>th distinct message of one reason
/// about one object within the window turns into one "(combined from similar events): ..." event;</item>
/// <item>deduplication: an identical event (object, type, reason, message) within the window bumps count and
/// lastTimestamp of the earlier Event instead of creating one;</item>
/// <item>spam filtering: a token bucket per object (burst 25, one more per 5 minutes) over everything the
/// first two let through, bumps included; what it refuses is dropped (<see cref="Discarded"/>).</item>
/// </list>
/// The source (component, host) is the recorder's own, the same for every event, so keys leave it out.
/// Memory is bounded: each of the three caches keeps at most <see cref="EventCorrelatorOptions.CacheSize"/> keys.
/// Thread-safe.
/// </summary>
public sealed class EventCorrelator
{
    public const string CombinedPrefix = "(combined from similar events): ";

    private readonly TimeProvider clock;
    private readonly EventCorrelatorOptions options;
    private readonly object gate = new();
    private readonly LruCache<Similar> similar;
    private readonly LruCache<CorrelatedEvent> observed;
    private readonly LruCache<TokenBucket> buckets;
    private long discarded;

    public EventCorrelator(TimeProvider clock, EventCorrelatorOptions? options = null)
    {
        this.clock = clock;
        this.options = options ?? new EventCorrelatorOptions();
        if (this.options.MaxSimilar < 1 || this.options.SpamBurst < 1 || this.options.CacheSize < 1 || this.options.SpamRefill <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(options), this.options, "limits must be positive");
        similar = new(this.options.CacheSize);
        observed = new(this.options.CacheSize);
        buckets = new(this.options.CacheSize);
    }

    /// <summary>Events the spam filter dropped so far.</summary>
    public long Discarded => Interlocked.Read(ref discarded);

    /// <summary>Keys tracked by the largest of the caches (never above <see cref="EventCorrelatorOptions.CacheSize"/>).</summary>
    public int TrackedKeys
    {
        get
        {
            lock (gate)
                return Math.Max(similar.Count, Math.Max(observed.Count, buckets.Count));
        }
    }

    /// <summary>Messages of one object and reason seen within the window.</summary>
    private sealed class Similar(DateTimeOffset last)
    {
        public HashSet<string> Messages { get; } = new(StringComparer.Ordinal);

        public DateTimeOffset Last { get; set; } = last;
    }

    /// <summary>
    /// The Event to write for this occurrence, or null when the spam filter drops it.
    /// <paramref name="involved"/> is an ObjectReference (kind, namespace, name, uid, apiVersion); it is kept, not copied.
    /// </summary>
    public CorrelatedEvent? Correlate(JsonObject involved, string type, string reason, string message)
    {
        var objectKey = string.Join('\n', (string?)involved["kind"], (string?)involved["namespace"], (string?)involved["name"],
            (string?)involved["uid"], (string?)involved["apiVersion"]);
        var aggregateKey = string.Join('\n', objectKey, type, reason);
        lock (gate)
        {
            var now = clock.GetUtcNow();
            var (key, text) = Aggregate(aggregateKey, message, now);
            var correlated = Observe(key, involved, type, reason, text, now);
            if (!buckets.TryGet(objectKey, out var bucket))
            {
                bucket = new TokenBucket(options.SpamBurst, options.SpamRefill, clock.GetTimestamp());
                buckets.Set(objectKey, bucket);
            }
            if (bucket.TryTake(clock.GetTimestamp(), clock.TimestampFrequency))
                return correlated;
            Interlocked.Increment(ref discarded);
            return null;
        }
    }

    /// <summary>client-go's EventAggregate: the key and message to deduplicate this occurrence by.</summary>
    private (string Key, string Message) Aggregate(string aggregateKey, string message, DateTimeOffset now)
    {
        if (!similar.TryGet(aggregateKey, out var record) || now - record.Last > options.Window)
        {
            record = new Similar(now);
            similar.Set(aggregateKey, record);
        }
        record.Messages.Add(message);
        record.Last = now;
        if (record.Messages.Count < options.MaxSimilar)
            return (aggregateKey + "\n" + message, message);
        // As client-go: forget one message so the set stays bounded; all further distinct messages are combined.
        record.Messages.Remove(record.Messages.First());
        return (aggregateKey, CombinedPrefix + message);
    }

    /// <summary>client-go's eventObserve: a repeat within the window bumps the earlier Event, anything else is a new one.</summary>
    private CorrelatedEvent Observe(string key, JsonObject involved, string type, string reason, string message, DateTimeOffset now)
    {
        CorrelatedEvent correlated;
        if (observed.TryGet(key, out var earlier) && now - earlier.LastTimestamp <= options.Window)
        {
            correlated = earlier with { Message = message, Count = earlier.Count + 1, LastTimestamp = now };
        }
        else
        {
            var name = $"{(string?)involved["name"]}.{now.ToUnixTimeMilliseconds() * 1_000_000 + Random.Shared.Next(1_000_000):x}";
            correlated = new CorrelatedEvent(key, (string?)involved["namespace"] ?? "default", name, involved, type, reason, message, 1, now, now);
        }
        observed.Set(key, correlated);
        return correlated;
    }
}
