using System.Text.Json.Nodes;
using Orchestrator.Client;
using Orchestrator.Testing;
using static Orchestrator.Controllers.Tests.Workloads.WorkloadObjects;

namespace Orchestrator.Controllers.Tests;

/// <summary>Foreground and orphan deletion of a ReplicaSet, and namespace deletion, done by the controllers.</summary>
public sealed class GarbageCollectionTests(ControlPlaneCluster cluster) : IClassFixture<ControlPlaneCluster>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private KubeClient Client => cluster.Client(2);

    private async Task<string> ReplicaSetWithPodsAsync(NamespaceKubelet? kubelet, string ns, int replicas)
    {
        await Client.CreateAsync(ApiResource.ReplicaSets, ns, ReplicaSet("rs", replicas));
        await Eventually.HoldsAsync(async () => (await PodsAsync(Client, ns)).Count(p => (string?)p["status"]?["phase"] == "Running") == replicas, Patience);
        return (string)(await Client.GetAsync(ApiResource.ReplicaSets, ns, "rs"))["metadata"]!["uid"]!;
    }

    [Fact]
    public async Task ForegroundDeletionRemovesThePodsBeforeTheReplicaSet()
    {
        var ns = await NamespaceAsync(Client);
        await using var kubelet = new NamespaceKubelet(Client, ns);
        await ReplicaSetWithPodsAsync(kubelet, ns, 2);
        var deleting = await Client.DeleteAsync(ApiResource.ReplicaSets, ns, "rs", new DeleteOptions { PropagationPolicy = "Foreground" });
        Assert.Contains("foregroundDeletion", deleting["metadata"]!["finalizers"]!.AsArray().Select(f => (string?)f));
        var sawOwnerWithoutPods = false;
        await Eventually.HoldsAsync(async () =>
        {
            var pods = await PodsAsync(Client, ns);
            var sets = await ReplicaSetsAsync(Client, ns);
            // The owner must outlive its blocking dependents.
            Assert.False(sets.Count == 0 && pods.Count > 0, "the replicaset went before its pods");
            sawOwnerWithoutPods |= sets.Count == 1 && pods.Count == 0;
            return sets.Count == 0 && pods.Count == 0;
        }, Patience);
    }

    [Fact]
    public async Task OrphanDeletionLeavesThePodsWithoutOwner()
    {
        var ns = await NamespaceAsync(Client);
        await using var kubelet = new NamespaceKubelet(Client, ns);
        await ReplicaSetWithPodsAsync(kubelet, ns, 2);
        await Client.DeleteAsync(ApiResource.ReplicaSets, ns, "rs", new DeleteOptions { PropagationPolicy = "Orphan" });
        await Eventually.HoldsAsync(async () => (await ReplicaSetsAsync(Client, ns)).Count == 0, Patience);
        await Task.Delay(1000);
        var pods = await PodsAsync(Client, ns);
        Assert.Equal(2, pods.Count);
        Assert.All(pods, p => Assert.Null(p["metadata"]!["ownerReferences"]));
    }

    [Fact]
    public async Task BackgroundDeletionRemovesThePodsAfterTheReplicaSet()
    {
        var ns = await NamespaceAsync(Client);
        await using var kubelet = new NamespaceKubelet(Client, ns);
        await ReplicaSetWithPodsAsync(kubelet, ns, 2);
        await Client.DeleteAsync(ApiResource.ReplicaSets, ns, "rs", new DeleteOptions { PropagationPolicy = "Background" });
        await Eventually.HoldsAsync(async () => (await PodsAsync(Client, ns)).Count == 0, Patience);
    }

    private async Task<string> LeftoversAsync(string ns)
    {
        var text = (await Client.GetAsync(ApiResource.Namespaces, null, ns)).ToJsonString() + "\n";
        foreach (var resource in Orchestrator.Controllers.Namespaces.NamespaceController.Contents)
        {
            foreach (var item in (await Client.ListAsync(resource, ns)).Items)
                text += $"{resource} {item["metadata"]!.ToJsonString()}\n";
        }
        return text;
    }

    [Fact]
    public async Task DeletingANamespaceDeletesEverythingInItThenTheNamespace()
    {
        var ns = await NamespaceAsync(Client);
        await using (var kubelet = new NamespaceKubelet(Client, ns))
        {
            await Client.CreateAsync(ApiResource.Deployments, ns, Deployment("web", 2));
            await Client.CreateAsync(ApiResource.ConfigMaps, ns, new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "ConfigMap",
                ["metadata"] = new JsonObject { ["name"] = "settings" },
                ["data"] = new JsonObject { ["a"] = "b" },
            });
            await Eventually.HoldsAsync(async () => (await PodsAsync(Client, ns)).Count(p => (string?)p["status"]?["phase"] == "Running") == 2, Patience);
            var kubectl = Kubectl.For(cluster.Cluster);
            var deleted = await kubectl.RunAsync(cluster.Cluster.ContextOf(cluster.Cluster.Replicas[1]), ["delete", "namespace", ns, "--timeout=60s"], timeout: TimeSpan.FromSeconds(90));
            if (!deleted.Succeeded)
                Assert.Fail(deleted + "\n" + await LeftoversAsync(ns) + string.Join("\n", cluster.Cluster.Replicas.SelectMany(r => r.Output.Split('\n')).Where(l => l.Contains("namespace", StringComparison.OrdinalIgnoreCase)).TakeLast(20)));
        }
        var gone = await Assert.ThrowsAsync<KubeApiException>(() => Client.GetAsync(ApiResource.Namespaces, null, ns));
        Assert.Equal(404, gone.Code);
        Assert.Empty((await Client.ListAsync(ApiResource.Pods, ns)).Items);
        Assert.Empty((await Client.ListAsync(ApiResource.ConfigMaps, ns)).Items);
    }
}
