using System.Text.Json.Nodes;
using Orchestrator.Client;
using Orchestrator.Node.Simulated;
using Orchestrator.Testing;
using static Orchestrator.Controllers.Tests.TestObjects;

namespace Orchestrator.Controllers.Tests.Scheduling;

/// <summary>
/// The scheduler against one 3-replica cluster. Each test brings its own simulated nodes labelled with a
/// group of its own, and its pods select that group, so tests do not see each other's nodes.
/// </summary>
public sealed class SchedulerTests(ControlPlaneCluster cluster) : IClassFixture<ControlPlaneCluster>
{
    private KubeClient Client => cluster.Client(1);

    private static SimulatedNodeOptions Group(string group, string cpu = "8", Dictionary<string, string>? labels = null, string? prefix = null) => new()
    {
        NamePrefix = prefix ?? group,
        Cpu = cpu,
        Labels = new Dictionary<string, string>(labels ?? []) { ["group"] = group },
        LeaseRenewInterval = TimeSpan.FromSeconds(1),
    };

    private static JsonObject Selector(string group, params (string Key, string Value)[] more)
    {
        var selector = new JsonObject { ["group"] = group };
        foreach (var (key, value) in more)
            selector[key] = value;
        return selector;
    }

    private static string Unique(string name) => $"{name}-{Guid.NewGuid().ToString("N")[..5]}";

    [Fact]
    public async Task PodsOfOneOwnerAreSpreadOverNodes()
    {
        var group = Unique("spread");
        await using var nodes = await SimulatedNodes.StartAsync(Client, 3, Group(group));
        var ns = await NamespaceAsync(Client, "spread");
        // One real owner for all six (a ConfigMap: no controller acts on it), so spreading by owner applies.
        var owner = await Client.CreateAsync(ApiResource.ConfigMaps, ns, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "web" },
        });
        for (var i = 0; i < 6; i++)
            await Client.CreateAsync(ApiResource.Pods, ns, Pod($"web-{i}", cpu: "100m", nodeSelector: Selector(group), owner: owner));

        var placed = new List<string>();
        for (var i = 0; i < 6; i++)
            placed.Add(NodeOf(await WaitPodAsync(Client, ns, $"web-{i}", IsBound))!);
        // Spreading is a score, not a rule: on a loaded machine the scheduler may see a node a moment late.
        // It must still use every node and never stack more than half the owner's pods on one.
        Assert.All(placed.GroupBy(n => n), g => Assert.InRange(g.Count(), 1, 3));
        Assert.Equal(3, placed.Distinct().Count());

        await Eventually.HoldsAsync(async () => (await EventsAsync(Client, ns, "web-0")).Any(e => e.Str("reason") == "Scheduled"),
            TimeSpan.FromSeconds(10));
        var scheduled = (await EventsAsync(Client, ns, "web-0")).First(e => e.Str("reason") == "Scheduled");
        Assert.Equal($"Successfully assigned {ns}/web-0 to {placed[0]}", scheduled.Str("message") ?? "");
        Assert.Equal("default-scheduler", scheduled.Str("source", "component"));
    }

    [Fact]
    public async Task TooBigPodStaysPendingUntilABiggerNodeJoins()
    {
        var group = Unique("fit");
        await using var small = await SimulatedNodes.StartAsync(Client, 2, Group(group, cpu: "2"));
        var ns = await NamespaceAsync(Client, "fit");
        await Client.CreateAsync(ApiResource.Pods, ns, Pod("big", cpu: "4", nodeSelector: Selector(group)));

        var pending = await WaitPodAsync(Client, ns, "big", p => p.Condition("PodScheduled").Str("reason") == "Unschedulable");
        var condition = pending.Condition("PodScheduled")!;
        Assert.Equal("False", condition.Str("status"));
        Assert.Matches(@"^0/\d+ nodes are available: .*2 Insufficient cpu.*\.$", condition.Str("message") ?? "");
        Assert.False(IsBound(pending));
        await Eventually.HoldsAsync(async () => (await EventsAsync(Client, ns, "big")).Any(e => e.Str("reason") == "FailedScheduling"),
            TimeSpan.FromSeconds(10));
        var failed = (await EventsAsync(Client, ns, "big")).First(e => e.Str("reason") == "FailedScheduling");
        Assert.Equal("Warning", failed.Str("type"));
        Assert.Equal("default-scheduler", failed.Str("source", "component"));
        Assert.Equal("Pod", failed.Str("involvedObject", "kind"));
        Assert.Contains("Insufficient cpu", failed.Str("message") ?? "");

        await using var big = await SimulatedNodes.StartAsync(Client, 1, Group(group, cpu: "16", prefix: group + "-big"));
        var bound = await WaitPodAsync(Client, ns, "big", IsBound);
        Assert.Equal($"{group}-big-0", NodeOf(bound));
    }

    [Fact]
    public async Task NodeSelectorAndRequiredNodeAffinityChooseNodes()
    {
        var group = Unique("select");
        await using var ssd = await SimulatedNodes.StartAsync(Client, 2, Group(group, labels: new() { ["disk"] = "ssd", ["rank"] = "5" }, prefix: group + "-ssd"));
        await using var hdd = await SimulatedNodes.StartAsync(Client, 2, Group(group, labels: new() { ["disk"] = "hdd", ["rank"] = "1" }, prefix: group + "-hdd"));
        var ns = await NamespaceAsync(Client, "select");
        for (var i = 0; i < 3; i++)
            await Client.CreateAsync(ApiResource.Pods, ns, Pod($"fast-{i}", nodeSelector: Selector(group, ("disk", "ssd"))));
        var affine = Pod("affine", nodeSelector: Selector(group));
        affine["spec"]!["affinity"] = JsonNode.Parse("""
            {"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[
              {"matchExpressions":[{"key":"disk","operator":"NotIn","values":["ssd"]},{"key":"rank","operator":"Lt","values":["3"]}]}]}}}
            """);
        await Client.CreateAsync(ApiResource.Pods, ns, affine);
        var nowhere = Pod("nowhere", nodeSelector: Selector(group, ("disk", "tape")));
        await Client.CreateAsync(ApiResource.Pods, ns, nowhere);

        for (var i = 0; i < 3; i++)
            Assert.StartsWith(group + "-ssd-", NodeOf(await WaitPodAsync(Client, ns, $"fast-{i}", IsBound)));
        Assert.StartsWith(group + "-hdd-", NodeOf(await WaitPodAsync(Client, ns, "affine", IsBound)));
        var stuck = await WaitPodAsync(Client, ns, "nowhere", p => p.Condition("PodScheduled") is not null);
        Assert.Contains("node(s) didn't match Pod's node affinity/selector", stuck.Condition("PodScheduled").Str("message") ?? "");
    }

    [Fact]
    public async Task TaintsKeepPodsOffUnlessTolerated()
    {
        var group = Unique("taint");
        await using var nodes = await SimulatedNodes.StartAsync(Client, 2, Group(group));
        var kubectl = Kubectl.For(cluster.Cluster);
        var context = cluster.Cluster.ContextOf(cluster.Cluster.Replicas[0]);
        var taint = await kubectl.RunAsync(context, "taint", "nodes", $"{group}-0", "dedicated=gpu:NoSchedule");
        Assert.True(taint.Succeeded, taint.ToString());
        await Task.Delay(500); // let the scheduler's node informer see the taint
        var ns = await NamespaceAsync(Client, "taint");
        for (var i = 0; i < 4; i++)
            await Client.CreateAsync(ApiResource.Pods, ns, Pod($"plain-{i}", cpu: "100m", nodeSelector: Selector(group)));
        var tolerant = Pod("tolerant", nodeSelector: Selector(group, ("kubernetes.io/hostname", $"{group}-0")),
            tolerations: [new JsonObject { ["key"] = "dedicated", ["operator"] = "Equal", ["value"] = "gpu", ["effect"] = "NoSchedule" }]);
        await Client.CreateAsync(ApiResource.Pods, ns, tolerant);

        for (var i = 0; i < 4; i++)
            Assert.Equal($"{group}-1", NodeOf(await WaitPodAsync(Client, ns, $"plain-{i}", IsBound)));
        Assert.Equal($"{group}-0", NodeOf(await WaitPodAsync(Client, ns, "tolerant", IsBound)));
    }

    [Fact]
    public async Task CordonedNodesGetNoNewPods()
    {
        var group = Unique("cordon");
        await using var nodes = await SimulatedNodes.StartAsync(Client, 2, Group(group));
        var kubectl = Kubectl.For(cluster.Cluster);
        var context = cluster.Cluster.ContextOf(cluster.Cluster.Replicas[0]);
        var cordon = await kubectl.RunAsync(context, "cordon", $"{group}-0");
        Assert.True(cordon.Succeeded, cordon.ToString());
        await Task.Delay(500);
        var ns = await NamespaceAsync(Client, "cordon");
        for (var i = 0; i < 4; i++)
            await Client.CreateAsync(ApiResource.Pods, ns, Pod($"p-{i}", cpu: "100m", nodeSelector: Selector(group)));
        for (var i = 0; i < 4; i++)
            Assert.Equal($"{group}-1", NodeOf(await WaitPodAsync(Client, ns, $"p-{i}", IsBound)));

        var only = Pod("only", nodeSelector: Selector(group, ("kubernetes.io/hostname", $"{group}-0")));
        await Client.CreateAsync(ApiResource.Pods, ns, only);
        var stuck = await WaitPodAsync(Client, ns, "only", p => p.Condition("PodScheduled") is not null);
        Assert.Contains("1 node(s) were unschedulable", stuck.Condition("PodScheduled").Str("message") ?? "");
        var uncordon = await kubectl.RunAsync(context, "uncordon", $"{group}-0");
        Assert.True(uncordon.Succeeded, uncordon.ToString());
        Assert.Equal($"{group}-0", NodeOf(await WaitPodAsync(Client, ns, "only", IsBound)));
    }
}
