using System.Diagnostics;

namespace Orchestrator.Api.Benchmarks;

/// <summary>What one closed-loop level gave: completed operations per second, latency percentiles, failures.</summary>
internal sealed record LoadResult(int Clients, double PerSecond, double P50, double P99, int Errors, string? FirstError);

/// <summary>
/// Closed-loop load: <c>clients</c> callers, each sending its next request as soon as the previous one is answered,
/// for a fixed time. Each caller first runs <c>warmUp</c> once (opening its connection) before the clock starts.
/// </summary>
internal static class ClosedLoop
{
    public static async Task<LoadResult> RunAsync(int clients, TimeSpan duration, Func<int, CancellationToken, Task> warmUp,
        Func<int, long, CancellationToken, Task> operation, CancellationToken token)
    {
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => warmUp(c, token)));
        var latencies = Enumerable.Range(0, clients).Select(_ => new Latencies()).ToArray();
        var errors = 0;
        string? firstError = null;
        var elapsed = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            for (long n = 0; elapsed.Elapsed < duration; n++)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    await operation(c, n, token);
                    latencies[c].AddSince(started);
                }
                catch (Exception e) when (!token.IsCancellationRequested)
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, Bench.Describe(e), null);
                }
            }
        }, token)));
        var seconds = elapsed.Elapsed.TotalSeconds;
        var all = Latencies.Merge(latencies);
        return new LoadResult(clients, all.Count / seconds, all.Percentile(0.50), all.Percentile(0.99), errors, firstError);
    }
}
