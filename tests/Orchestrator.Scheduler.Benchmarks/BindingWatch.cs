using System.Diagnostics;
using Orchestrator.Client;
using Orchestrator.Testing;

namespace Orchestrator.Scheduler.Benchmarks;

/// <summary>Counts distinct pods of a namespace that the watch shows bound (spec.nodeName set), and when the last one was.</summary>
public sealed class BindingWatch(KubeClient client, string ns, string resourceVersion, int expected)
{
    private readonly HashSet<string> bound = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Bound
    {
        get { lock (bound) return bound.Count; }
    }

    public TimeSpan? AllBoundAt { get; private set; }

    public Task AllBound => done.Task;

    public Task RunAsync(Stopwatch clock, CancellationToken token) =>
        client.WatchUntilAsync(ApiResource.Pods, ns, resourceVersion, pod =>
        {
            if (string.IsNullOrEmpty(pod.Str("spec", "nodeName")))
                return false;
            lock (bound)
            {
                if (!bound.Add(pod.Name()) || bound.Count != expected)
                    return false;
                AllBoundAt = clock.Elapsed;
                done.TrySetResult();
                return true;
            }
        }, token);
}
