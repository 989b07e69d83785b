using System.Diagnostics;
using Orchestrator.Client;

namespace Orchestrator.Api.Benchmarks;

/// <summary>(a) Pod creates at fixed concurrency; client i talks to replica i mod 3, each with its own connection.</summary>
internal static class CreateBenchmark
{
    public static async Task RunAsync(Bench bench, int seconds, CancellationToken token)
    {
        Console.WriteLine($"(a) pod creates, {seconds}s per level, clients spread round-robin over {bench.ReplicaCount} replicas");
        Console.WriteLine("clients  creates/s   p50 ms   p99 ms   errors");
        foreach (var concurrency in new[] { 1, 8, 64 })
        {
            var ns = $"bench-create-{concurrency}";
            using (var admin = bench.NewClient(0))
                await Bench.CreateNamespaceAsync(admin, ns, token);
            var clients = Enumerable.Range(0, concurrency).Select(i => bench.NewClient(i % bench.ReplicaCount)).ToList();
            try
            {
                var latencies = clients.Select(_ => new Latencies()).ToList();
                var errors = 0;
                var elapsed = Stopwatch.StartNew();
                await Task.WhenAll(clients.Select((client, c) => Task.Run(async () =>
                {
                    for (var n = 0; elapsed.Elapsed.TotalSeconds < seconds; n++)
                    {
                        var started = Stopwatch.GetTimestamp();
                        try
                        {
                            await client.CreateAsync(ApiResource.Pods, ns, Bench.Pod(ns, $"p-{c}-{n}"), token: token);
                            latencies[c].AddSince(started);
                        }
                        catch (Exception e) when (Bench.IsRequestFailure(e))
                        {
                            Interlocked.Increment(ref errors);
                        }
                    }
                }, token)));
                var all = Latencies.Merge(latencies);
                Console.WriteLine($"{concurrency,7}  {all.Count / elapsed.Elapsed.TotalSeconds,9:F0}  {all.Percentile(0.50),7:F2}  {all.Percentile(0.99),7:F2}  {errors,7}");
            }
            finally
            {
                foreach (var client in clients)
                    client.Dispose();
            }
        }
    }
}
