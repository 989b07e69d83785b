using System.Text.Json.Nodes;
using Orchestrator.Client;
using Orchestrator.Testing;

namespace Orchestrator.E2E.Tests;

/// <summary>Node loss and controller-manager loss, each on a cluster of its own.</summary>
public sealed class ControlPlaneFailureTests : IAsyncLifetime
{
    private readonly ControlPlaneFixture fixture = new();

    public Task InitializeAsync() => fixture.InitializeAsync();

    public Task DisposeAsync() => fixture.DisposeAsync();

    [Fact]
    public async Task ANodeThatStopsRenewingTurnsNotReadyAndItsPodsAreReplacedElsewhere()
    {
        var ns = await fixture.NamespaceAsync();
        await fixture.OkWithInputAsync("replica-1", Manifests.Deployment("spread", 6, "nginx:1.25", maxSurge: 1, maxUnavailable: 1), "-n", ns, "apply", "-f", "-");
        await fixture.OkAsync("replica-1", "-n", ns, "rollout", "status", "deployment/spread", "--timeout=90s");
        var onB = (await PodsAsync(ns)).Where(p => (string?)p["spec"]!["nodeName"] == "b-0").ToList();
        Assert.NotEmpty(onB);

        fixture.StopNodes("b");
        await Eventually.HoldsAsync(async () =>
        {
            var node = await fixture.Client.GetAsync(ApiResource.Nodes, null, "b-0");
            var ready = node["status"]!["conditions"]!.AsArray().Single(c => (string?)c!["type"] == "Ready");
            return (string?)ready!["status"] == "Unknown";
        }, TimeSpan.FromSeconds(60));
        Assert.Contains("NotReady", await fixture.OkAsync("replica-2", "get", "node", "b-0"));

        await Eventually.HoldsAsync(async () =>
        {
            var pods = await PodsAsync(ns);
            var running = pods.Where(p => (string?)p["status"]?["phase"] == "Running" && p["metadata"]?["deletionTimestamp"] is null).ToList();
            // As in Kubernetes, pods on an unreachable node stay Terminating (nobody confirms their end);
            // their replacements run elsewhere.
            return running.Count == 6 && running.All(p => (string?)p["spec"]!["nodeName"] != "b-0")
                && onB.All(old => pods.All(p => (string?)p["metadata"]!["name"] != (string?)old["metadata"]!["name"] || p["metadata"]?["deletionTimestamp"] is not null));
        }, TimeSpan.FromSeconds(90));
    }

    [Fact]
    public async Task KillingTheControllerManagerMidRolloutStillCompletesIt()
    {
        var ns = await fixture.NamespaceAsync();
        await fixture.OkWithInputAsync("replica-1", Manifests.Deployment("survive", 4, "nginx:1.25"), "-n", ns, "apply", "-f", "-");
        await fixture.OkAsync("replica-1", "-n", ns, "rollout", "status", "deployment/survive", "--timeout=90s");

        var lease = await fixture.Client.GetAsync(ApiResource.Leases, "kube-system", "orchestrator-controller-manager");
        var holder = (string)lease["spec"]!["holderIdentity"]!;
        var victim = fixture.Cluster.Replicas.Single(r => holder.EndsWith(r.RaftEndpoint, StringComparison.Ordinal));
        var context = fixture.Cluster.ContextOf(fixture.Cluster.Replicas.First(r => r != victim));

        using var survivor = await KubeClient.FromKubeconfigAsync(fixture.Cluster.KubeconfigPath, context);
        await fixture.OkAsync(context, "-n", ns, "set", "image", "deployment/survive", "main=nginx:1.27");
        await Task.Delay(300); // let the rollout begin under the old leader
        victim.Kill();
        await fixture.OkAsync(context, "-n", ns, "rollout", "status", "deployment/survive", "--timeout=120s");
        var pods = (await PodsAsync(ns, survivor)).Where(p => p["metadata"]?["deletionTimestamp"] is null).ToList();
        Assert.Equal(4, pods.Count);
        Assert.All(pods, p => Assert.Equal("nginx:1.27", (string?)p["spec"]!["containers"]![0]!["image"]));
        // The rollout may finish before the lease expires (the old leader did most of it): a survivor takes over anyway.
        await Eventually.HoldsAsync(async () =>
            (string?)(await survivor.GetAsync(ApiResource.Leases, "kube-system", "orchestrator-controller-manager"))["spec"]!["holderIdentity"] != holder,
            TimeSpan.FromSeconds(30));
    }

    private async Task<List<JsonObject>> PodsAsync(string ns, KubeClient? client = null) =>
        [.. (await (client ?? fixture.Client).ListAsync(ApiResource.Pods, ns)).Items];
}
