using Orchestrator.Api.Benchmarks;
using Orchestrator.Client.Config;
using Orchestrator.Testing;

// API benchmark: 3 replica processes on 127.0.0.1 behind HTTPS, driven through Orchestrator.Client, next to a
// 3-member etcd on the same machine (when `etcd` is on PATH) under the same load. Phases: create (closed-loop
// writes per client level), failover (kill -9 of the leader: longest write gap), watch (delivery latency, no event
// missed), list (LIST ?limit=500 over N pods). Replica and etcd RSS after each phase. `-h` lists the options.
// On Ctrl-C or SIGTERM the token is cancelled and the phases unwind, disposing both clusters; should that take longer
// than 30 s the process exits anyway, and the ProcessExit hook below still kills every replica and etcd member.
return await BenchmarkOptions.Command(RunAsync).Parse(args)
    .InvokeAsync(new System.CommandLine.InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30) });

static async Task<int> RunAsync(BenchmarkOptions options, CancellationToken token)
{
    try
    {
        return await RunPhasesAsync(options, token);
    }
    catch (Exception) when (token.IsCancellationRequested)
    {
        Console.Error.WriteLine("interrupted: replicas and etcd members killed, their folders deleted");
        return 130;
    }
}

static async Task<int> RunPhasesAsync(BenchmarkOptions options, CancellationToken token)
{
    var ok = true;
    var etcdBinary = options.SkipEtcd || !(options.Runs("create") || options.Runs("failover")) ? null : EtcdCluster.FindBinary();
    await using var cluster = await ApiCluster.StartAsync(3, serverArgs: options.ServerArgs);
    await using var etcd = etcdBinary is null ? null : await EtcdCluster.StartAsync(etcdBinary, 3, token);
    AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var replica in cluster.Replicas)
            replica.Kill();
        foreach (var member in etcd?.Members ?? [])
            member.Kill();
    };
    var configs = new List<Kubeconfig>();
    foreach (var replica in cluster.Replicas)
        configs.Add(await Kubeconfig.LoadAsync(cluster.KubeconfigPath, cluster.ContextOf(replica), token));
    var bench = new Bench(configs);
    using var nodeClient = bench.NewClient(0);
    await using var nodes = options.SimulatedNodes == 0 ? null : await Orchestrator.Node.Simulated.SimulatedNodes.StartAsync(nodeClient, options.SimulatedNodes,
        new Orchestrator.Node.Simulated.SimulatedNodeOptions { LeaseRenewInterval = TimeSpan.FromSeconds(10), Parallelism = 32 });
    if (nodes is not null)
        Console.WriteLine($"{options.SimulatedNodes} simulated nodes registered (pods are scheduled, then run in name only)");
    var memory = new ResidentMemory(cluster, etcd);
    Console.WriteLine($"3 API replicas up (HTTPS, client certificates, {await bench.NegotiatedVersionAsync(token) switch { { Major: 2 } => "HTTP/2", var v => $"HTTP/{v}" }}); " +
                      (etcd is not null ? $"3 etcd members up ({etcdBinary}, plain gRPC); "
                          : options.SkipEtcd ? "etcd skipped (--skip-etcd); " : options.Runs("create") || options.Runs("failover") ? "etcd not on PATH: API only; " : "") +
                      $"{Environment.ProcessorCount} cores shared by all of them and this client");
    memory.Read("start");

    if (options.Runs("create"))
    {
        var writers = new RequestsByUser(cluster);
        await writers.MarkAsync(token);
        var phase = System.Diagnostics.Stopwatch.StartNew();
        await CreateBenchmark.RunAsync(bench, etcd, options.Levels, options.Seconds, options.PacedRates, token);
        await writers.PrintSinceAsync("create", phase.Elapsed, token);
        memory.Read("create");
    }
    if (options.Runs("failover"))
    {
        using (var api = await ApiFailoverTarget.CreateAsync(cluster, bench, token))
            await FailoverBenchmark.RunAsync(api, options.FailoverTrials, options.FailoverRate, TimeSpan.FromSeconds(options.FailoverSeconds), token);
        if (etcd is not null)
        {
            using var target = new EtcdFailoverTarget(etcd);
            await FailoverBenchmark.RunAsync(target, options.FailoverTrials, options.FailoverRate, TimeSpan.FromSeconds(options.FailoverSeconds), token);
        }
        memory.Read("failover");
    }
    if (options.Runs("watch"))
    {
        ok &= await WatchBenchmark.RunAsync(bench, $"replica-{(await cluster.LeaderAsync()).Ordinal}", options.Watchers, options.WatchWrites, options.WatchRate, token);
        memory.Read("watch");
    }
    if (options.Runs("list"))
    {
        await ListBenchmark.RunAsync(bench, options.ListPods, options.Lists, token);
        memory.Read("list");
    }
    memory.PrintSummary();
    return ok ? 0 : 1;
}
