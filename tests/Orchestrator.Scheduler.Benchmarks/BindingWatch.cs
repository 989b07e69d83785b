using System.Diagnostics;
using Orchestrator.Client;
using Orchestrator.Client.Watching;

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

    public async Task RunAsync(Stopwatch clock, CancellationToken token)
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
                    if (string.IsNullOrEmpty(JsonFields.StrOrNull(change.Object, "spec", "nodeName")))
                        continue;
                    lock (bound)
                    {
                        if (bound.Add(JsonFields.Name(change.Object)) && bound.Count == expected)
                        {
                            AllBoundAt = clock.Elapsed;
                            done.TrySetResult();
                            return;
                        }
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
