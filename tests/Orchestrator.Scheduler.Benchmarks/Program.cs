using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Orchestrator.Client;
using Orchestrator.Node.Simulated;
using Orchestrator.Scheduler.Benchmarks;
using Orchestrator.Testing;

// Scheduler throughput as kube-scheduler's scheduler_perf measures it: pods/s from the first pod created to
// the last one bound, here through the whole stack (3 Raft replicas over HTTPS, watch-based informers).
var nodeCounts = Arg("--nodes", "1000,5000").Split(',').Select(int.Parse).ToList();
var podCount = int.Parse(Arg("--pods", "10000"), CultureInfo.InvariantCulture);
var phaseTimeout = TimeSpan.FromMinutes(double.Parse(Arg("--timeout-minutes", "10"), CultureInfo.InvariantCulture));
Console.WriteLine($"scheduler benchmark: {podCount} pods, nodes {string.Join(", ", nodeCounts)}; {Environment.ProcessorCount} cores");

foreach (var nodes in nodeCounts)
    await RunAsync(nodes, deployment: nodes == nodeCounts[0]);
return 0;

async Task RunAsync(int nodeCount, bool deployment)
{
    // Leases are renewed every 30 s (kubelet: 10 s) against a 120 s grace: at 5,000 nodes kubelet's rate
    // would be 500 lease writes/s, a load the benchmark is not about.
    string[] serverArgs =
    [
        "--leader-elect-lease-duration", "3", "--leader-elect-renew-deadline", "2", "--leader-elect-retry-period", "0.5",
        "--node-monitor-grace-period", "120",
    ];
    await using var cluster = await ApiCluster.StartAsync(3, serverArgs: serverArgs);
    using var client = await KubeClient.FromKubeconfigAsync(cluster.KubeconfigPath, cluster.ContextOf(cluster.Replicas[0]),
        new KubeClientOptions { RequestTimeout = TimeSpan.FromSeconds(60) });
    var registering = Stopwatch.StartNew();
    var options = new SimulatedNodeOptions { LeaseRenewInterval = TimeSpan.FromSeconds(30), Parallelism = 32 };
    await using var simulated = await SimulatedNodes.StartAsync(client, nodeCount, options);
    Console.WriteLine($"[{nodeCount} nodes] registered in {registering.Elapsed.TotalSeconds:F1} s");
    await Task.Delay(TimeSpan.FromSeconds(3)); // the scheduler's node informer catches up

    const string ns = "bench";
    await client.CreateAsync(ApiResource.Namespaces, null, new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } });
    var start = await client.ListAsync(ApiResource.Pods, ns);
    using var deadline = new CancellationTokenSource(phaseTimeout);
    var clock = Stopwatch.StartNew();
    var watch = new BindingWatch(client, ns, start.ResourceVersion, podCount);
    var watching = watch.RunAsync(clock, deadline.Token);
    var created = 0;
    await Parallel.ForEachAsync(Enumerable.Range(0, podCount), new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = deadline.Token },
        async (i, token) =>
        {
            await client.CreateAsync(ApiResource.Pods, ns, Pod($"pod-{i}"), token: token);
            Interlocked.Increment(ref created);
        });
    var createdIn = clock.Elapsed;
    Console.WriteLine($"[{nodeCount} nodes] {created} pods created in {createdIn.TotalSeconds:F1} s ({created / createdIn.TotalSeconds:F0} pods/s); {watch.Bound} bound so far");
    try
    {
        while (!watch.AllBound.IsCompleted)
        {
            await Task.WhenAny(watch.AllBound, Task.Delay(TimeSpan.FromSeconds(10), deadline.Token));
            if (!watch.AllBound.IsCompleted)
                Console.WriteLine($"  ... {watch.Bound} bound after {clock.Elapsed.TotalSeconds:F0} s");
        }
        Console.WriteLine($"[{nodeCount} nodes] RESULT: {podCount} pods bound in {watch.AllBoundAt!.Value.TotalSeconds:F1} s = {podCount / watch.AllBoundAt.Value.TotalSeconds:F0} pods/s (first create to last bound)");
    }
    catch (OperationCanceledException)
    {
        Console.WriteLine($"[{nodeCount} nodes] RESULT: timed out after {phaseTimeout.TotalMinutes} min with {watch.Bound}/{podCount} bound = {watch.Bound / clock.Elapsed.TotalSeconds:F0} pods/s");
    }
    await deadline.CancelAsync();
    try
    {
        await watching;
    }
    catch (OperationCanceledException)
    {
    }
    if (deployment)
        await DeploymentAsync(client);
}

async Task DeploymentAsync(KubeClient client)
{
    var deployment = JsonNode.Parse("""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"bench-web","namespace":"default"},
         "spec":{"replicas":1000,"selector":{"matchLabels":{"app":"bench-web"}},
           "template":{"metadata":{"labels":{"app":"bench-web"}},"spec":{"containers":[{"name":"web","image":"nginx:1.27",
             "resources":{"requests":{"cpu":"10m","memory":"16Mi"}}}]}}}}
        """)!.AsObject();
    var clock = Stopwatch.StartNew();
    await client.CreateAsync(ApiResource.Deployments, "default", deployment);
    var progressed = false;
    while (clock.Elapsed < TimeSpan.FromMinutes(progressed ? 10 : 1))
    {
        var current = await client.GetAsync(ApiResource.Deployments, "default", "bench-web");
        var available = current.Long("status", "availableReplicas") ?? 0;
        progressed |= (current.Long("status", "replicas") ?? 0) > 0;
        if (available >= 1000)
        {
            Console.WriteLine($"deployment of 1000 replicas fully available in {clock.Elapsed.TotalSeconds:F1} s");
            return;
        }
        await Task.Delay(500);
    }
    Console.WriteLine(progressed ? "deployment of 1000 replicas: not fully available within 10 min" : "deployment of 1000 replicas: skipped: no deployment controller");
}

static JsonObject Pod(string name) => new()
{
    ["apiVersion"] = "v1",
    ["kind"] = "Pod",
    ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["app"] = "bench" } },
    ["spec"] = new JsonObject
    {
        ["containers"] = new JsonArray(new JsonObject
        {
            ["name"] = "app",
            ["image"] = "registry.k8s.io/pause:3.10",
            ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = "100m", ["memory"] = "128Mi" } },
        }),
    },
};

string Arg(string name, string fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}
