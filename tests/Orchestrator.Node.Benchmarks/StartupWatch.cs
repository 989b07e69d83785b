using System.Collections.Concurrent;
using System.Diagnostics;
using Orchestrator.Client;
using Orchestrator.Testing;

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

    public Task RunAsync(CancellationToken token) =>
        client.WatchUntilAsync(ApiResource.Pods, ns, resourceVersion, pod =>
        {
            var name = pod.Name();
            var now = clock.Elapsed;
            if (!string.IsNullOrEmpty(pod.Str("spec", "nodeName")))
                bound.TryAdd(name, now);
            if (pod.Str("status", "phase") != "Running" || !running.TryAdd(name, now) || running.Count != expected)
                return false;
            done.TrySetResult();
            return true;
        }, token);
}
