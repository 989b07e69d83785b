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
        Assert.Equal("True", JsonFields.Str(JsonFields.Condition(node, "Ready"), "status"));
        Assert.Equal("v1.32.4-sim", JsonFields.Str(node, "status", "nodeInfo", "kubeletVersion"));
        Assert.Equal("8", JsonFields.Str(node, "status", "allocatable", "cpu"));
        Assert.Equal("110", JsonFields.Str(node, "status", "capacity", "pods"));
        Assert.Contains(JsonFields.Objects(node, "status", "addresses"), a => JsonFields.Str(a, "type") == "InternalIP");

        var first = await Client.GetAsync(ApiResource.Leases, "kube-node-lease", $"{prefix}-2");
        var renewed = JsonFields.Str(first, "spec", "renewTime");
        await Eventually.HoldsAsync(async () =>
            JsonFields.Str(await Client.GetAsync(ApiResource.Leases, "kube-node-lease", $"{prefix}-2"), "spec", "renewTime") != renewed,
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
        Assert.Matches(@"^10\.\d+\.\d+\.\d+$", JsonFields.Str(pod, "status", "podIP"));
        Assert.Equal(JsonFields.Str(pod, "status", "podIP"), JsonFields.Str(JsonFields.Objects(pod, "status", "podIPs").Single(), "ip"));
        Assert.False(string.IsNullOrEmpty(JsonFields.Str(pod, "status", "hostIP")));
        Assert.False(string.IsNullOrEmpty(JsonFields.Str(pod, "status", "startTime")));
        foreach (var type in new[] { "PodScheduled", "Initialized", "ContainersReady", "Ready" })
            Assert.Equal("True", JsonFields.Str(JsonFields.Condition(pod, type), "status"));
        var container = JsonFields.Objects(pod, "status", "containerStatuses").Single();
        Assert.True(JsonFields.Bool(container, "ready"));
        Assert.True(JsonFields.Bool(container, "started"));
        Assert.Equal(0, JsonFields.IntOrNull(container, "restartCount"));
        Assert.NotNull(JsonFields.StrOrNull(container, "state", "running", "startedAt"));

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
            var ready = JsonFields.Condition(node, "Ready");
            return JsonFields.Str(ready, "status") == "Unknown"
                && JsonFields.Objects(node, "spec", "taints").Any(t => JsonFields.Str(t, "key") == "node.kubernetes.io/unreachable" && JsonFields.Str(t, "effect") == "NoExecute");
        }, TimeSpan.FromSeconds(20), () => node?.ToJsonString() ?? "");
        Assert.Equal("NodeStatusUnknown", JsonFields.Str(JsonFields.Condition(node!, "Ready"), "reason"));
        Assert.Equal("Kubelet stopped posting node status.", JsonFields.Str(JsonFields.Condition(node!, "Ready"), "message"));
        Assert.Contains(JsonFields.Objects(node!, "spec", "taints"), t => JsonFields.Str(t, "key") == "node.kubernetes.io/unreachable" && JsonFields.Str(t, "effect") == "NoSchedule");

        // Deleted after the 2 s default toleration: terminating (the dead node cannot finish it) or gone.
        await Eventually.HoldsAsync(async () =>
        {
            try
            {
                return JsonFields.IsDeleting(await Client.GetAsync(ApiResource.Pods, ns, "doomed"));
            }
            catch (KubeApiException e) when (e.Code == 404)
            {
                return true;
            }
        }, TimeSpan.FromSeconds(20));
        Assert.False(JsonFields.IsDeleting(await Client.GetAsync(ApiResource.Pods, ns, "patient")));

        nodes.SetAlive(victim, true);
        await Eventually.HoldsAsync(async () =>
        {
            node = await Client.GetAsync(ApiResource.Nodes, null, victim);
            return JsonFields.Str(JsonFields.Condition(node, "Ready"), "status") == "True"
                && !JsonFields.Objects(node, "spec", "taints").Any(t => JsonFields.Str(t, "key") == "node.kubernetes.io/unreachable");
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
