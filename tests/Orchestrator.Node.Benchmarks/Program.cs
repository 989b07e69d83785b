using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Orchestrator.Client;
using Orchestrator.Node.Benchmarks;
using Orchestrator.Testing;

// Pod startup latency as Kubernetes' SLO defines it (create -> Running observed by a watch, p99 <= 5 s, image
// pull excluded): 3 Raft replicas over HTTPS, the controllers and scheduler, and two real node agents running
// busybox as runc containers, each pod in its own network namespace. The image is pulled onto both nodes first.
// Runs as root. Options: --pods 100, --rate 10 (pods/s created in the paced run; the burst run sends all at once).
// With `streams` first, the pod stream benchmark instead (StreamBenchmark.cs).
if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
{
    Console.Error.WriteLine("run as root on Linux: the node agents start runc containers and network namespaces");
    return 2;
}
if (args.FirstOrDefault() == "streams")
    return await StreamBenchmark.RunAsync(args);
var podCount = int.Parse(CommandArgs.Value(args, "--pods", "100"), CultureInfo.InvariantCulture);
var rate = double.Parse(CommandArgs.Value(args, "--rate", "10"), CultureInfo.InvariantCulture);
Console.WriteLine($"pod startup benchmark: {podCount} pods on 2 real nodes; {Environment.ProcessorCount} cores");

await using var registry = await TestRegistry.StartAsync();
await BusyboxImage.PushAsync(registry, "busybox", "1");
var image = $"{registry.Address}/busybox:1";
await using var cluster = await ApiCluster.StartAsync(3);
using var client = await KubeClient.FromKubeconfigAsync(cluster.KubeconfigPath, null, new KubeClientOptions { RequestTimeout = TimeSpan.FromSeconds(60) });
var subnet = Random.Shared.Next(0, 255);
await using var first = await TestNodeAgent.StartAsync(client, registry.ClientOptions, subnet);
await using var second = await TestNodeAgent.StartAsync(client, registry.ClientOptions, subnet + 1);

await WarmUpAsync([first.NodeName, second.NodeName]);
await RunAsync("paced", rate);
await RunAsync("burst", 0);
return 0;

// One pod per node, so the timed runs find the image in each node's store (the SLO excludes pulls).
async Task WarmUpAsync(string[] nodes)
{
    const string ns = "warm-up";
    await CreateNamespaceAsync(ns);
    foreach (var node in nodes)
    {
        var pod = Pod("warm-" + node);
        pod["spec"]!["nodeName"] = node;
        await client.CreateAsync(ApiResource.Pods, ns, pod);
    }
    await Eventually.HoldsAsync(async () => (await client.ListAsync(ApiResource.Pods, ns)).Items
        .Count(p => p.Str("status", "phase") == "Running") == nodes.Length, TimeSpan.FromMinutes(2));
    await DeleteNamespaceAsync(ns);
}

async Task RunAsync(string name, double podsPerSecond)
{
    var ns = "startup-" + name;
    await CreateNamespaceAsync(ns);
    var start = await client.ListAsync(ApiResource.Pods, ns);
    var clock = Stopwatch.StartNew();
    var watch = new StartupWatch(client, ns, start.ResourceVersion, podCount, clock);
    using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
    var watching = watch.RunAsync(deadline.Token);
    var creates = Enumerable.Range(0, podCount).Select(async i =>
    {
        // Paced: pod i is sent at i/rate seconds, like the density test's steady creation; burst: all at once.
        if (podsPerSecond > 0)
            await Task.Delay(TimeSpan.FromSeconds(i / podsPerSecond) - clock.Elapsed is { Ticks: > 0 } wait ? wait : TimeSpan.Zero, deadline.Token);
        var podName = $"pod-{i}";
        watch.Sent(podName);
        await client.CreateAsync(ApiResource.Pods, ns, Pod(podName), token: deadline.Token);
    });
    await Task.WhenAll(creates);
    var createdIn = clock.Elapsed;
    try
    {
        await watch.AllRunning.WaitAsync(deadline.Token);
    }
    catch (OperationCanceledException)
    {
        Console.WriteLine($"[{name}] timed out with {watch.Running}/{podCount} Running");
    }
    var allRunningIn = clock.Elapsed;
    await deadline.CancelAsync();
    try
    {
        await watching;
    }
    catch (OperationCanceledException)
    {
    }
    var (toBound, toRunning) = watch.Latencies();
    var mode = podsPerSecond > 0 ? $"{podsPerSecond} pods/s" : "all at once";
    Console.WriteLine($"[{name}] {podCount} pods created ({mode}) in {createdIn.TotalSeconds:F1} s, all Running after {allRunningIn.TotalSeconds:F1} s");
    Console.WriteLine($"[{name}] RESULT: create -> Running  {LatencySummary.Of(toRunning)}");
    Console.WriteLine($"[{name}]         create -> bound    {LatencySummary.Of(toBound)}");
    await DeleteNamespaceAsync(ns);
}

async Task CreateNamespaceAsync(string ns) =>
    await client.CreateAsync(ApiResource.Namespaces, null, new JsonObject
    {
        ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns },
    });

// Waits until the namespace is gone, so its pods' containers are stopped before the next run is timed.
async Task DeleteNamespaceAsync(string ns)
{
    await client.DeleteAsync(ApiResource.Namespaces, null, ns);
    await client.WaitGoneAsync(ApiResource.Namespaces, null, ns, TimeSpan.FromMinutes(3));
}

JsonObject Pod(string name) => new()
{
    ["apiVersion"] = "v1",
    ["kind"] = "Pod",
    ["metadata"] = new JsonObject { ["name"] = name },
    ["spec"] = new JsonObject
    {
        ["terminationGracePeriodSeconds"] = 1,
        ["containers"] = new JsonArray(new JsonObject
        {
            ["name"] = "main",
            ["image"] = image,
            ["command"] = new JsonArray("sleep", "3600"),
            ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = "10m", ["memory"] = "8Mi" } },
        }),
    },
};
