using System.Diagnostics;
using Orchestrator.Client;

namespace Orchestrator.Api.Benchmarks;

/// <summary>(b) LIST latency over a namespace of 10,000 pods, first filled by 64 concurrent clients.</summary>
internal static class ListBenchmark
{
    private const string Namespace = "bench";

    public static async Task RunAsync(Bench bench, int pods, int lists, CancellationToken token)
    {
        using (var admin = bench.NewClient(0))
            await Bench.CreateNamespaceAsync(admin, Namespace, token);

        var fill = await FillAsync(bench, pods, concurrency: 64, token);
        Console.WriteLine($"(b) created {pods} pods with 64 clients in {fill.Elapsed.TotalSeconds:F1}s ({pods / fill.Elapsed.TotalSeconds:F0}/s, {fill.Errors} errors)");

        var clients = Enumerable.Range(0, bench.ReplicaCount).Select(bench.NewClient).ToList();
        try
        {
            var paged = new Latencies();
            var items = 0;
            for (var i = 0; i < lists; i++)
            {
                var started = Stopwatch.GetTimestamp();
                var page = await clients[i % clients.Count].ListAsync(ApiResource.Pods, Namespace, new ListOptions { Limit = 500 }, token);
                paged.AddSince(started);
                items = page.Items.Count;
            }
            Console.WriteLine($"LIST ?limit=500  ({lists} lists over {clients.Count} replicas, {items} items each)  p50 {paged.Percentile(0.5):F1} ms  p99 {paged.Percentile(0.99):F1} ms");

            var full = Stopwatch.StartNew();
            var all = await clients[0].ListAsync(ApiResource.Pods, Namespace, token: token);
            Console.WriteLine($"LIST without limit ({all.Items.Count} items, once)  {full.Elapsed.TotalMilliseconds:F0} ms");
        }
        finally
        {
            foreach (var client in clients)
                client.Dispose();
        }
    }

    private static async Task<(TimeSpan Elapsed, int Errors)> FillAsync(Bench bench, int pods, int concurrency, CancellationToken token)
    {
        var clients = Enumerable.Range(0, concurrency).Select(i => bench.NewClient(i % bench.ReplicaCount)).ToList();
        try
        {
            var next = -1;
            var errors = 0;
            var elapsed = Stopwatch.StartNew();
            await Task.WhenAll(clients.Select(client => Task.Run(async () =>
            {
                for (var n = Interlocked.Increment(ref next); n < pods; n = Interlocked.Increment(ref next))
                {
                    try
                    {
                        await client.CreateAsync(ApiResource.Pods, Namespace, Bench.Pod(Namespace, $"pod-{n:D5}"), token: token);
                    }
                    catch (Exception e) when (Bench.IsRequestFailure(e))
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
            }, token)));
            return (elapsed.Elapsed, errors);
        }
        finally
        {
            foreach (var client in clients)
                client.Dispose();
        }
    }
}
