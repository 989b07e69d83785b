using Orchestrator.Client;

namespace Orchestrator.Api.Benchmarks;

/// <summary>
/// Closed-loop writes at each client level: pod creates against the API (client i on replica i mod 3, each client its
/// own connection), then 1 KiB puts against etcd (client i on member i mod 3, likewise), one after the other.
/// </summary>
internal static class CreateBenchmark
{
    /// <param name="pacedRates">Open-loop rates (per second) run after the levels, the same for both systems; empty: half of each system's best closed-loop rate.</param>
    public static async Task RunAsync(Bench bench, EtcdCluster? etcd, IReadOnlyList<int> levels, int seconds, IReadOnlyList<int> pacedRates, CancellationToken token)
    {
        Console.WriteLine($"== create: closed loop, {seconds} s per level and system; API pod creates vs etcd 1 KiB puts, clients round-robin over 3 replicas/members");
        Console.WriteLine($"{"clients",7} | {"api creates/s",13} {"p50 ms",8} {"p99 ms",8} {"errors",6} | {"etcd puts/s",11} {"p50 ms",8} {"p99 ms",8} {"errors",6} | {"api/etcd",8}");
        var duration = TimeSpan.FromSeconds(seconds);
        double apiMax = 0, etcdMax = 0;
        foreach (var clients in levels)
        {
            var api = await CreatesAsync(bench, clients, duration, token);
            var puts = etcd is null ? null : await EtcdLoad.PutsAsync(etcd, clients, duration, token);
            apiMax = Math.Max(apiMax, api.PerSecond);
            etcdMax = Math.Max(etcdMax, puts?.PerSecond ?? 0);
            var etcdColumns = puts is null
                ? $"{"-",11} {"-",8} {"-",8} {"-",6}"
                : $"{puts.PerSecond,11:F0} {puts.P50,8:F2} {puts.P99,8:F2} {puts.Errors,6}";
            var ratio = puts is { PerSecond: > 0 } ? $"{api.PerSecond / puts.PerSecond,8:F2}" : $"{"-",8}";
            Console.WriteLine($"{clients,7} | {api.PerSecond,13:F0} {api.P50,8:F2} {api.P99,8:F2} {api.Errors,6} | {etcdColumns} | {ratio}");
            foreach (var (system, result) in new[] { ("api", api), ("etcd", puts) })
                if (result?.FirstError is { } error)
                    Console.WriteLine($"        first {system} error at {clients} clients: {error}");
        }

        // Open loop: the latency a user sees at a given load, with headroom left (by default half of each maximum).
        Console.WriteLine(pacedRates.Count == 0
            ? "paced at half of each maximum (open loop, latency from the scheduled start):"
            : "paced (open loop, latency from the scheduled start; first column: the rate asked for):");
        var rates = pacedRates.Count == 0 ? [(apiMax / 2, etcdMax / 2)] : pacedRates.Select(r => ((double)r, (double)r)).ToList();
        foreach (var (apiRate, etcdRate) in rates)
        {
            var pacedApi = await PacedCreatesAsync(bench, apiRate, duration, token);
            var pacedEtcd = etcd is null || etcdRate == 0 ? null : await EtcdLoad.PacedPutsAsync(etcd, etcdRate, duration, token);
            var label = pacedRates.Count == 0 ? "" : $"{apiRate:F0}/s";
            Console.WriteLine($"{label,7} | {pacedApi.PerSecond,13:F0} {pacedApi.P50,8:F2} {pacedApi.P99,8:F2} {pacedApi.Errors,6} | " +
                              (pacedEtcd is null ? $"{"-",11} {"-",8} {"-",8} {"-",6}" : $"{pacedEtcd.PerSecond,11:F0} {pacedEtcd.P50,8:F2} {pacedEtcd.P99,8:F2} {pacedEtcd.Errors,6}") + " |");
            foreach (var (system, result) in new[] { ("api", pacedApi), ("etcd", pacedEtcd) })
                if (result?.FirstError is { } error)
                    Console.WriteLine($"        first paced {system} error: {error}");
        }
    }

    private static async Task<LoadResult> PacedCreatesAsync(Bench bench, double perSecond, TimeSpan duration, CancellationToken token)
    {
        var ns = $"bench-paced-{perSecond:F0}";
        const int pool = 64;
        using (var admin = bench.NewClient(0))
            await Bench.CreateNamespaceAsync(admin, ns, token);
        var kube = Enumerable.Range(0, pool).Select(i => bench.NewClient(i % bench.ReplicaCount)).ToList();
        try
        {
            await Task.WhenAll(kube.Select(k => k.GetAsync(ApiResource.Namespaces, null, ns, token)));
            return await PacedLoad.RunAsync(perSecond, duration, maxInFlight: 1024,
                (n, t) => kube[(int)(n % pool)].CreateAsync(ApiResource.Pods, ns, Bench.Pod(ns, $"p-{n}"), token: t), token);
        }
        finally
        {
            foreach (var client in kube)
                client.Dispose();
        }
    }

    private static async Task<LoadResult> CreatesAsync(Bench bench, int clients, TimeSpan duration, CancellationToken token)
    {
        var ns = $"bench-create-{clients}";
        using (var admin = bench.NewClient(0))
            await Bench.CreateNamespaceAsync(admin, ns, token);
        var kube = Enumerable.Range(0, clients).Select(i => bench.NewClient(i % bench.ReplicaCount)).ToList();
        try
        {
            return await ClosedLoop.RunAsync(clients, duration,
                warmUp: (c, t) => kube[c].GetAsync(ApiResource.Namespaces, null, ns, t),
                operation: (c, n, t) => kube[c].CreateAsync(ApiResource.Pods, ns, Bench.Pod(ns, $"p-{c}-{n}"), token: t),
                token);
        }
        finally
        {
            foreach (var client in kube)
                client.Dispose();
        }
    }
}
