using System.Diagnostics;
using Orchestrator.Client;

namespace Orchestrator.Api.Benchmarks;

/// <summary>
/// LIST latency over one namespace of N pods, first filled at full speed by 64 clients (that rate is printed too):
/// first pages of ?limit=500 round-robin over the replicas, then one walk of every page by continue token.
/// </summary>
internal static class ListBenchmark
{
    private const string Namespace = "bench-list";
    private const int PageSize = 500;

    /// <summary>Above this many pods the unpaged LIST is skipped: one response of 150,000 pods is ~100 MB of JSON.</summary>
    private const int FullListUpTo = 10_000;

    public static async Task RunAsync(Bench bench, int pods, int lists, CancellationToken token)
    {
        Console.WriteLine($"== list: {pods} pods in one namespace, LIST ?limit={PageSize}");
        using (var admin = bench.NewClient(0))
            await Bench.CreateNamespaceAsync(admin, Namespace, token);

        var fill = await FillAsync(bench, pods, concurrency: 64, token);
        Console.WriteLine($"created {pods} pods with 64 clients in {fill.Elapsed.TotalSeconds:F1} s: {pods / fill.Elapsed.TotalSeconds:F0} creates/s, {fill.Errors} errors");

        var clients = Enumerable.Range(0, bench.ReplicaCount).Select(i => bench.NewClient(i)).ToList();
        try
        {
            foreach (var client in clients)
                await client.GetAsync(ApiResource.Namespaces, null, Namespace, token);
            var first = new Latencies();
            var items = 0;
            for (var i = 0; i < lists; i++)
            {
                var started = Stopwatch.GetTimestamp();
                var page = await clients[i % clients.Count].ListAsync(ApiResource.Pods, Namespace, new ListOptions { Limit = PageSize }, token);
                first.AddSince(started);
                items = page.Items.Count;
            }
            Console.WriteLine($"first page  ({lists} lists over {clients.Count} replicas, {items} items each)  p50 {first.Percentile(0.5),7:F1} ms  p99 {first.Percentile(0.99),7:F1} ms");

            var pages = new Latencies();
            var walked = 0;
            var walk = Stopwatch.StartNew();
            for (var options = new ListOptions { Limit = PageSize }; ;)
            {
                var started = Stopwatch.GetTimestamp();
                var page = await clients[0].ListAsync(ApiResource.Pods, Namespace, options, token);
                pages.AddSince(started);
                walked += page.Items.Count;
                if (page.Continue is null)
                    break;
                options = options with { Continue = page.Continue };
            }
            Console.WriteLine($"every page  ({pages.Count} pages by continue token, {walked} items, {walk.Elapsed.TotalSeconds:F1} s)  p50 {pages.Percentile(0.5),7:F1} ms  p99 {pages.Percentile(0.99),7:F1} ms");

            if (pods <= FullListUpTo)
            {
                var full = Stopwatch.StartNew();
                var all = await clients[0].ListAsync(ApiResource.Pods, Namespace, token: token);
                Console.WriteLine($"no limit    ({all.Items.Count} items, once)  {full.Elapsed.TotalMilliseconds:F0} ms");
            }
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
                        await client.CreateAsync(ApiResource.Pods, Namespace, Bench.Pod(Namespace, $"pod-{n:D6}"), token: token);
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
