using System.Collections.Concurrent;
using System.Diagnostics;
using Orchestrator.Client;
using Orchestrator.Client.Watching;

namespace Orchestrator.Node.Benchmarks;

/// <summary>
/// Watches a namespace's pods and notes, on one clock, when each was sent for creation, first seen bound
/// (spec.nodeName set) and first seen Running: the moments Kubernetes' pod startup SLO is measured between.
/// </summary>
public sealed class StartupWatch(KubeClient client, string ns, string resourceVersion, int expected, Stopwatch clock)
{
    private readonly ConcurrentDictionary<string, TimeSpan> sent = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TimeSpan> bound = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TimeSpan> running = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task AllRunning => done.Task;

    public int Running => running.Count;

    public void Sent(string name) => sent[name] = clock.Elapsed;

    /// <summary>Per pod: create sent -> bound, and create sent -> Running, for pods that got that far.</summary>
    public (List<TimeSpan> ToBound, List<TimeSpan> ToRunning) Latencies() =>
        ([.. bound.Where(b => sent.ContainsKey(b.Key)).Select(b => b.Value - sent[b.Key])],
         [.. running.Where(r => sent.ContainsKey(r.Key)).Select(r => r.Value - sent[r.Key])]);

    public async Task RunAsync(CancellationToken token)
    {
        var version = resourceVersion;
        while (!token.IsCancellationRequested && !done.Task.IsCompleted)
        {
            try
            {
                var options = new WatchOptions { ResourceVersion = version, TimeoutSeconds = 600 };
                await foreach (var change in client.WatchAsync(ApiResource.Pods, ns, options, token))
                {
                    version = change.ResourceVersion ?? version;
                    if (change.Type is not (WatchEventTypes.Added or WatchEventTypes.Modified))
                        continue;
                    var name = JsonFields.Name(change.Object);
                    var now = clock.Elapsed;
                    if (!string.IsNullOrEmpty(JsonFields.StrOrNull(change.Object, "spec", "nodeName")))
                        bound.TryAdd(name, now);
                    if (JsonFields.Str(change.Object, "status", "phase") == "Running" && running.TryAdd(name, now) && running.Count == expected)
                    {
                        done.TrySetResult();
                        return;
                    }
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Console.Error.WriteLine($"  watch restarted: {e.Message}");
            }
        }
    }
}
