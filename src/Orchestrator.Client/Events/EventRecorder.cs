using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Client.Events;

/// <summary>
/// Writes core/v1 Events off the hot path, like client-go's event broadcaster and recorder: every event
/// goes through an <see cref="EventCorrelator"/> (repeats become count bumps, similar events are combined,
/// a per-object spam filter drops the excess), and the writes left are queued by Event: a bump queued
/// behind an unsent write of the same Event replaces it, and one Event is never written by two requests at
/// once (a create is followed by its bumps, not raced by them). Recording never waits: with
/// <see cref="Capacity"/> Events waiting, new ones are dropped.
/// </summary>
/// <param name="component">source.component and reportingComponent, e.g. default-scheduler or kubelet.</param>
/// <param name="host">source.host and reportingInstance: the node a kubelet-like reporter runs on, if any.</param>
public sealed partial class EventRecorder(KubeClient client, string component, TimeProvider clock, ILogger logger, string? host = null,
    EventCorrelatorOptions? options = null)
{
    /// <summary>Events waiting to be written, at most.</summary>
    public const int Capacity = 4096;

    /// <summary>The meter of <c>orchestrator_events_discarded_total</c> (by reason: spam, queue_full).</summary>
    public const string MeterName = "Orchestrator.Client.Events";

    private static readonly Meter EventsMeter = new(MeterName);
    private static readonly Counter<long> DiscardedTotal =
        EventsMeter.CreateCounter<long>("orchestrator_events_discarded_total", description: "Events not written: spam-filtered or over the queue's capacity.");

    private readonly EventCorrelator correlator = new(clock, options);
    private readonly Channel<string> ready = Channel.CreateUnbounded<string>(); // keys of `waiting`, each at most once
    private readonly object gate = new();
    private readonly Dictionary<string, Pending> waiting = new(StringComparer.Ordinal);
    private readonly HashSet<string> writing = new(StringComparer.Ordinal);
    private long written, dropped;

    /// <summary>Create and patch requests sent that succeeded.</summary>
    public long Written => Interlocked.Read(ref written);

    /// <summary>Events not written: refused by the spam filter or over the queue's capacity.</summary>
    public long Dropped => Interlocked.Read(ref dropped) + correlator.Discarded;

    public void Normal(JsonObject involved, string reason, string message) => Record(involved, "Normal", reason, message);

    public void Warning(JsonObject involved, string reason, string message) => Record(involved, "Warning", reason, message);

    /// <summary>The latest state of one Event, and whether it still has to be created.</summary>
    private readonly record struct Pending(CorrelatedEvent Event, bool Create);

    private void Record(JsonObject involved, string type, string reason, string message)
    {
        var reference = new JsonObject
        {
            ["kind"] = (string?)involved["kind"] ?? "Pod",
            ["namespace"] = involved.Str("metadata", "namespace"),
            ["name"] = involved.Str("metadata", "name") ?? "",
            ["uid"] = involved.Str("metadata", "uid") ?? "",
            ["apiVersion"] = (string?)involved["apiVersion"] ?? "v1",
            ["resourceVersion"] = involved.Str("metadata", "resourceVersion"),
        };
        if (correlator.Correlate(reference, type, reason, message) is not { } correlated)
        {
            DiscardedTotal.Add(1, new KeyValuePair<string, object?>("reason", "spam"));
            LogSpam(logger, reason, (string?)reference["name"]);
            return;
        }
        lock (gate)
        {
            if (waiting.TryGetValue(correlated.Key, out var earlier))
            {
                // Not sent yet: send the latest state instead; a create stays a create (unless this is a new Event).
                waiting[correlated.Key] = new Pending(correlated, correlated.IsNew || (earlier.Create && earlier.Event.Name == correlated.Name));
                return;
            }
            if (waiting.Count >= Capacity)
            {
                Interlocked.Increment(ref dropped);
                DiscardedTotal.Add(1, new KeyValuePair<string, object?>("reason", "queue_full"));
                LogQueueFull(logger, reason, (string?)reference["name"], Capacity);
                return;
            }
            waiting[correlated.Key] = new Pending(correlated, correlated.IsNew);
            // One being written now is queued again when that write ends.
            if (!writing.Contains(correlated.Key))
                ready.Writer.TryWrite(correlated.Key);
        }
    }

    /// <summary>Writes queued events with <paramref name="writers"/> requests in flight until cancelled.</summary>
    public Task RunAsync(int writers, CancellationToken token) =>
        Task.WhenAll(Enumerable.Range(0, writers).Select(_ => WriteLoopAsync(token)));

    private async Task WriteLoopAsync(CancellationToken token)
    {
        try
        {
            await foreach (var key in ready.Reader.ReadAllAsync(token).ConfigureAwait(false))
            {
                Pending item;
                lock (gate)
                {
                    if (!waiting.Remove(key, out item))
                        continue;
                    writing.Add(key);
                }
                try
                {
                    await WriteAsync(item, token).ConfigureAwait(false);
                    Interlocked.Increment(ref written);
                }
                catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    LogWriteFailed(logger, e, item.Event.Reason, (string?)item.Event.Involved["name"]);
                }
                finally
                {
                    lock (gate)
                    {
                        writing.Remove(key);
                        if (waiting.ContainsKey(key))
                            ready.Writer.TryWrite(key);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    /// <summary>A create, or a merge patch of count, lastTimestamp and message; each falls back to the other when the Event is (not) there.</summary>
    private async Task WriteAsync(Pending item, CancellationToken token)
    {
        var e = item.Event;
        if (!item.Create)
        {
            try
            {
                await PatchAsync(e, token).ConfigureAwait(false);
                return;
            }
            catch (KubeApiException failed) when (failed.Code == 404)
            {
                // Never created (the spam filter dropped the create, or it failed) or expired: create it whole.
            }
        }
        try
        {
            await client.CreateAsync(ApiResource.Events, e.Namespace, ToEvent(e), token: token).ConfigureAwait(false);
        }
        catch (KubeApiException failed) when (failed.Code == 409 && item.Create)
        {
            // A create that timed out but was applied: the Event is there, bump it.
            await PatchAsync(e, token).ConfigureAwait(false);
        }
    }

    private Task PatchAsync(CorrelatedEvent e, CancellationToken token) =>
        client.PatchAsync(ApiResource.Events, e.Namespace, e.Name, PatchType.Merge, new JsonObject
        {
            ["count"] = e.Count,
            ["lastTimestamp"] = Json.Timestamp(e.LastTimestamp),
            ["message"] = e.Message,
        }, token: token);

    private JsonObject ToEvent(CorrelatedEvent e) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Event",
        ["metadata"] = new JsonObject { ["name"] = e.Name, ["namespace"] = e.Namespace },
        ["involvedObject"] = e.Involved.DeepClone(),
        ["reason"] = e.Reason,
        ["message"] = e.Message,
        ["type"] = e.Type,
        ["source"] = host is null ? new JsonObject { ["component"] = component } : new JsonObject { ["component"] = component, ["host"] = host },
        ["reportingComponent"] = component,
        ["reportingInstance"] = host ?? "",
        ["firstTimestamp"] = Json.Timestamp(e.FirstTimestamp),
        ["lastTimestamp"] = Json.Timestamp(e.LastTimestamp),
        ["count"] = e.Count,
    };

    [LoggerMessage(EventId = 7001, Level = LogLevel.Debug, Message = "event {Reason} for {Name} dropped by the spam filter")]
    private static partial void LogSpam(ILogger logger, string reason, string? name);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Debug, Message = "event {Reason} for {Name} dropped: {Waiting} events already waiting")]
    private static partial void LogQueueFull(ILogger logger, string reason, string? name, int waiting);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Debug, Message = "event {Reason} for {Name} not written")]
    private static partial void LogWriteFailed(ILogger logger, Exception error, string reason, string? name);
}
