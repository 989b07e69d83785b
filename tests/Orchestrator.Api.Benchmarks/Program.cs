using Orchestrator.Api.Benchmarks;
using Orchestrator.Client.Config;
using Orchestrator.Testing;

// API benchmark: 3 replica processes on 127.0.0.1 behind HTTPS, driven through Orchestrator.Client.
// (a) pod creates at 1, 8, 64 clients; (b) LIST latency over 10,000 pods; (c) watch delivery latency.
// Args: [seconds per create level, default 10] [pods for the list run, default 10000].
var seconds = args.Length > 0 ? int.Parse(args[0]) : 10;
var pods = args.Length > 1 ? int.Parse(args[1]) : 10_000;
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
var token = cancel.Token;

await using var cluster = await ApiCluster.StartAsync(3);
var configs = new List<Kubeconfig>();
foreach (var replica in cluster.Replicas)
    configs.Add(await Kubeconfig.LoadAsync(cluster.KubeconfigPath, cluster.ContextOf(replica), token));
var bench = new Bench(configs);
Console.WriteLine($"3 replicas up (HTTPS, client certificates); {Environment.ProcessorCount} cores shared by replicas and this client");

await CreateBenchmark.RunAsync(bench, seconds, token);
await ListBenchmark.RunAsync(bench, pods, lists: 50, token);
await WatchBenchmark.RunAsync(bench, watchers: 100, writes: 500, writeInterval: TimeSpan.FromMilliseconds(10), token);
