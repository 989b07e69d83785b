using System.Text.Json.Nodes;
using Orchestrator.Client;
using Orchestrator.Node.Simulated;
using Orchestrator.Testing;
using static Orchestrator.Controllers.Tests.TestObjects;

namespace Orchestrator.Controllers.Tests.Nodes;

/// <summary>Simulated nodes and the node lifecycle controller (node grace 4 s, default toleration 2 s).</summary>
public sealed class NodeTests(ControlPlaneCluster cluster) : IClassFixture<ControlPlaneCluster>
{
    private KubeClient Client => cluster.Client(2);

    private static SimulatedNodeOptions Options(string prefix) => new() { NamePrefix = prefix, LeaseRenewInterval = TimeSpan.FromSeconds(1) };

    private static string Unique(string name) => $"{name}-{Guid.NewGuid().ToString("N")[..5]}";

    [Fact]
    public async Task SimulatedNodesRegisterAndRenewTheirLeases()
    {
        var prefix = Unique("reg");
        await using var nodes = await SimulatedNodes.StartAsync(Client, 3, Options(prefix));
        var node = await Client.GetAsync(ApiResource.Nodes, null, $"{prefix}-2");
        Assert.Equal("True", node.Condition("Ready").Str("status"));
        Assert.Equal("v1.32.4-sim", node.Str("status", "nodeInfo", "kubeletVersion"));
        Assert.Equal("8", node.Str("status", "allocatable", "cpu"));
        Assert.Equal("110", node.Str("status", "capacity", "pods"));
        Assert.Contains(node.Items("status", "addresses"), a => a.Str("type") == "InternalIP");

        var first = await Client.GetAsync(ApiResource.Leases, "kube-node-lease", $"{prefix}-2");
        var renewed = first.Str("spec", "renewTime") ?? "";
        await Eventually.HoldsAsync(async () =>
            ((await Client.GetAsync(ApiResource.Leases, "kube-node-lease", $"{prefix}-2")).Str("spec", "renewTime") ?? "") != renewed,
            TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task SimulatedNodesRunPodsAndFinishDeletions()
    {
        var prefix = Unique("run");
        await using var nodes = await SimulatedNodes.StartAsync(Client, 2, Options(prefix));
        var ns = await NamespaceAsync(Client, "run");
        await Client.CreateAsync(ApiResource.Pods, ns, Pod("web", cpu: "100m", nodeSelector: new JsonObject { ["kubernetes.io/hostname"] = $"{prefix}-1" }));

        var pod = await WaitPodAsync(Client, ns, "web", IsRunningAndReady);
        Assert.Matches(@"^10\.\d+\.\d+\.\d+$", pod.Str("status", "podIP") ?? "");
        Assert.Equal(pod.Str("status", "podIP") ?? "", pod.Items("status", "podIPs").Single().Str("ip") ?? "");
        Assert.False(string.IsNullOrEmpty(pod.Str("status", "hostIP") ?? ""));
        Assert.False(string.IsNullOrEmpty(pod.Str("status", "startTime") ?? ""));
        foreach (var type in new[] { "PodScheduled", "Initialized", "ContainersReady", "Ready" })
            Assert.Equal("True", pod.Condition(type).Str("status"));
        var container = pod.Items("status", "containerStatuses").Single();
        Assert.True(container.Bool("ready"));
        Assert.True(container.Bool("started"));
        Assert.Equal(0, container.Long("restartCount"));
        Assert.NotNull(container.Str("state", "running", "startedAt"));

        await Client.DeleteAsync(ApiResource.Pods, ns, "web");
        await Client.WaitGoneAsync(ApiResource.Pods, ns, "web", TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task NodeThatStopsRenewingIsTaintedAndLosesItsPods()
    {
        var prefix = Unique("dead");
        await using var nodes = await SimulatedNodes.StartAsync(Client, 2, Options(prefix));
        var ns = await NamespaceAsync(Client, "dead");
        var victim = $"{prefix}-0";
        await Client.CreateAsync(ApiResource.Pods, ns, Pod("doomed", nodeSelector: new JsonObject { ["kubernetes.io/hostname"] = victim }));
        var patient = Pod("patient", nodeSelector: new JsonObject { ["kubernetes.io/hostname"] = victim },
            tolerations: [new JsonObject { ["key"] = "node.kubernetes.io/unreachable", ["operator"] = "Exists", ["effect"] = "NoExecute" }]);
        await Client.CreateAsync(ApiResource.Pods, ns, patient);
        await WaitPodAsync(Client, ns, "doomed", IsRunningAndReady);
        await WaitPodAsync(Client, ns, "patient", IsRunningAndReady);

        nodes.SetAlive(victim, false);
        JsonObject? node = null;
        await Eventually.HoldsAsync(async () =>
        {
            node = await Client.GetAsync(ApiResource.Nodes, null, victim);
            var ready = node.Condition("Ready");
            return ready.Str("status") == "Unknown"
                && node.Items("spec", "taints").Any(t => t.Str("key") == "node.kubernetes.io/unreachable" && t.Str("effect") == "NoExecute");
        }, TimeSpan.FromSeconds(20), () => node?.ToJsonString() ?? "");
        Assert.Equal("NodeStatusUnknown", node!.Condition("Ready").Str("reason"));
        Assert.Equal("Kubelet stopped posting node status.", node!.Condition("Ready").Str("message"));
        Assert.Contains(node!.Items("spec", "taints"), t => t.Str("key") == "node.kubernetes.io/unreachable" && t.Str("effect") == "NoSchedule");

        // Deleted after the 2 s default toleration: terminating (the dead node cannot finish it) or gone.
        await Eventually.HoldsAsync(async () =>
        {
            try
            {
                return (await Client.GetAsync(ApiResource.Pods, ns, "doomed")).IsDeleting();
            }
            catch (KubeApiException e) when (e.Code == 404)
            {
                return true;
            }
        }, TimeSpan.FromSeconds(20));
        Assert.False((await Client.GetAsync(ApiResource.Pods, ns, "patient")).IsDeleting());

        nodes.SetAlive(victim, true);
        await Eventually.HoldsAsync(async () =>
        {
            node = await Client.GetAsync(ApiResource.Nodes, null, victim);
            return node.Condition("Ready").Str("status") == "True"
                && !node.Items("spec", "taints").Any(t => t.Str("key") == "node.kubernetes.io/unreachable");
        }, TimeSpan.FromSeconds(20), () => node?.ToJsonString() ?? "");
        // The node is back: it finishes the deletion it missed.
        await Eventually.HoldsAsync(async () =>
        {
            try
            {
                await Client.GetAsync(ApiResource.Pods, ns, "doomed");
                return false;
            }
            catch (KubeApiException e) when (e.Code == 404)
            {
                return true;
            }
        }, TimeSpan.FromSeconds(20));
    }
}
