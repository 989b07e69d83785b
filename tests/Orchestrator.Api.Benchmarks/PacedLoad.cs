using System.Diagnostics;

namespace Orchestrator.Api.Benchmarks;

/// <summary>
/// Open-loop load: operations start on a fixed schedule, whether or not earlier ones are answered (up to
/// <c>maxInFlight</c>), and each latency counts from its scheduled start, so a stall is charged to every request it
/// delays (no coordinated omission). This is how "p99 at half the maximum throughput" is measured.
/// </summary>
internal static class PacedLoad
{
    public static async Task<LoadResult> RunAsync(double perSecond, TimeSpan duration, int maxInFlight,
        Func<long, CancellationToken, Task> operation, CancellationToken token)
    {
        var total = (long)(perSecond * duration.TotalSeconds);
        var latencies = new Latencies();
        var errors = 0;
        string? firstError = null;
        using var slots = new SemaphoreSlim(maxInFlight);
        var running = new List<Task>();
        var clock = Stopwatch.StartNew();
        var origin = Stopwatch.GetTimestamp();
        for (long n = 0; n < total; n++)
        {
            var due = TimeSpan.FromSeconds(n / perSecond);
            if (due > clock.Elapsed)
                await Task.Delay(due - clock.Elapsed, token);
            await slots.WaitAsync(token);
            var scheduled = origin + (long)(due.TotalSeconds * Stopwatch.Frequency);
            var index = n;
            running.Add(Task.Run(async () =>
            {
                try
                {
                    await operation(index, token);
                    lock (latencies)
                        latencies.AddSince(scheduled);
                }
                catch (Exception e) when (!token.IsCancellationRequested)
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, Bench.Describe(e), null);
                }
                finally
                {
                    slots.Release();
                }
            }, token));
        }
        await Task.WhenAll(running);
        return new LoadResult(maxInFlight, latencies.Count / clock.Elapsed.TotalSeconds, latencies.Percentile(0.50), latencies.Percentile(0.99), errors, firstError);
    }
}
