using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
namespace Orchestrator.Client.Events;

/// <summary>
/// Writes core/v1 Events off the hot path, like client-go's event broadcaster: a bounded queue (events are
/// dropped, not waited for, when it is full), and a repeat of the same reason and message about the same
/// object bumps count and lastTimestamp of the earlier event instead of making a new one.
/// </summary>
/// <param name="component">source.component and reportingComponent, e.g. default-scheduler or kubelet.</param>
/// <param name="host">source.host and reportingInstance: the node a kubelet-like reporter runs on, if any.</param>
public sealed class EventRecorder(KubeClient client, string component, TimeProvider clock, ILogger logger, string? host = null)
{
    private const int Capacity = 4096;
    private const int MaxRemembered = 10_000;

    private readonly Channel<Pending> pending = Channel.CreateBounded<Pending>(new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Dictionary<string, JsonObject> recent = new(StringComparer.Ordinal);

    public void Normal(JsonObject involved, string reason, string message) => Record(involved, "Normal", reason, message);

    public void Warning(JsonObject involved, string reason, string message) => Record(involved, "Warning", reason, message);

    private void Record(JsonObject involved, string type, string reason, string message)
    {
        var reference = new JsonObject
        {
            ["kind"] = (string?)involved["kind"] ?? "Pod",
            ["namespace"] = JsonFields.StrOrNull(involved, "metadata", "namespace"),
            ["name"] = JsonFields.Str(involved, "metadata", "name"),
            ["uid"] = JsonFields.Str(involved, "metadata", "uid"),
            ["apiVersion"] = (string?)involved["apiVersion"] ?? "v1",
            ["resourceVersion"] = JsonFields.StrOrNull(involved, "metadata", "resourceVersion"),
        };
        pending.Writer.TryWrite(new Pending(reference, type, reason, message, clock.GetUtcNow()));
    }

    /// <summary>Writes queued events with <paramref name="writers"/> requests in flight until cancelled.</summary>
    public Task RunAsync(int writers, CancellationToken token) =>
        Task.WhenAll(Enumerable.Range(0, writers).Select(_ => WriteLoopAsync(token)));

    private async Task WriteLoopAsync(CancellationToken token)
    {
        try
        {
            await foreach (var item in pending.Reader.ReadAllAsync(token).ConfigureAwait(false))
            {
                try
                {
                    await WriteAsync(item, token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    logger.LogDebug(e, "event {Reason} for {Name} dropped", item.Reason, (string?)item.Involved["name"]);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    private async Task WriteAsync(Pending item, CancellationToken token)
    {
        var ns = (string?)item.Involved["namespace"] ?? "default";
        var aggregate = $"{item.Involved["uid"]}\n{item.Reason}\n{item.Message}";
        JsonObject? earlier;
        lock (recent)
            recent.TryGetValue(aggregate, out earlier);
        var stamp = item.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        if (earlier is not null)
        {
            var repeat = (JsonObject)earlier.DeepClone();
            repeat["count"] = ((int?)repeat["count"] ?? 1) + 1;
            repeat["lastTimestamp"] = stamp;
            try
            {
                // PUT with the earlier event's resourceVersion: a concurrent change makes it 409 and we start afresh.
                Remember(aggregate, await client.UpdateAsync(ApiResource.Events, repeat, token: token).ConfigureAwait(false));
                return;
            }
            catch (KubeApiException e) when (e.Code is 404 or 409)
            {
            }
        }
        var name = $"{item.Involved["name"]}.{item.At.ToUnixTimeMilliseconds() * 1_000_000 + Random.Shared.Next(1_000_000):x}";
        var created = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Event",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["involvedObject"] = item.Involved.DeepClone(),
            ["reason"] = item.Reason,
            ["message"] = item.Message,
            ["type"] = item.Type,
            ["source"] = host is null ? new JsonObject { ["component"] = component } : new JsonObject { ["component"] = component, ["host"] = host },
            ["reportingComponent"] = component,
            ["reportingInstance"] = host ?? "",
            ["firstTimestamp"] = stamp,
            ["lastTimestamp"] = stamp,
            ["count"] = 1,
        };
        Remember(aggregate, await client.CreateAsync(ApiResource.Events, ns, created, token: token).ConfigureAwait(false));
    }

    private void Remember(string aggregate, JsonObject written)
    {
        lock (recent)
        {
            // Only repeats matter and most events never repeat: forgetting everything now and then bounds memory.
            if (recent.Count >= MaxRemembered)
                recent.Clear();
            recent[aggregate] = written;
        }
    }

    private sealed record Pending(JsonObject Involved, string Type, string Reason, string Message, DateTimeOffset At);
}
