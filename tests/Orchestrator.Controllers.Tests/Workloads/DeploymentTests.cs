using System.Text.Json.Nodes;
using Orchestrator.Client;
using Orchestrator.Client.Watching;
using Orchestrator.Testing;
using Xunit.Abstractions;
using static Orchestrator.Controllers.Tests.Workloads.WorkloadObjects;

namespace Orchestrator.Controllers.Tests.Workloads;

/// <summary>Deployments driven through the API and kubectl, with a test kubelet starting their pods.</summary>
public sealed class DeploymentTests(ControlPlaneCluster cluster, ITestOutputHelper output) : IClassFixture<ControlPlaneCluster>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private KubeClient Client => cluster.Client(1);

    private Kubectl Kubectl => Kubectl.For(cluster.Cluster);

    private string Context => cluster.Cluster.ContextOf(cluster.Cluster.Replicas[0]);

    private async Task<KubectlResult> RunAsync(params string[] args)
    {
        var result = await Kubectl.RunAsync(Context, args, timeout: TimeSpan.FromSeconds(90));
        output.WriteLine($"kubectl {string.Join(' ', args)}\n{result}");
        return result;
    }

    private async Task RolloutStatusAsync(string ns, string name)
    {
        var result = await RunAsync("rollout", "status", $"deployment/{name}", "-n", ns, "--timeout=60s");
        Assert.True(result.Succeeded, result.ToString());
        Assert.Contains("successfully rolled out", result.Output);
    }

    [Fact]
    public async Task ADeploymentOfThreeGetsThreeReadyPodsAndRolloutStatusAccepts()
    {
        var ns = await NamespaceAsync(Client);
        await using var kubelet = new NamespaceKubelet(Client, ns);
        await Client.CreateAsync(ApiResource.Deployments, ns, Deployment("web", 3));
        await RolloutStatusAsync(ns, "web");

        var pods = await PodsAsync(Client, ns);
        Assert.Equal(3, pods.Count);
        Assert.All(pods, p => Assert.Equal("Running", (string?)p["status"]!["phase"]));
        var rs = Assert.Single(await ReplicaSetsAsync(Client, ns));
        var hash = (string?)rs["metadata"]!["labels"]!["pod-template-hash"];
        Assert.Equal($"web-{hash}", (string?)rs["metadata"]!["name"]);
        Assert.Equal("1", (string?)rs["metadata"]!["annotations"]!["deployment.kubernetes.io/revision"]);
        Assert.All(pods, p => Assert.Equal(hash, (string?)p["metadata"]!["labels"]!["pod-template-hash"]));
        // The completion condition may land one status write after the counts kubectl waits for.
        await Eventually.HoldsAsync(async () =>
        {
            var d = await Client.GetAsync(ApiResource.Deployments, ns, "web");
            var conditions = d["status"]!["conditions"]!.AsArray();
            return (int?)d["status"]!["availableReplicas"] == 3
                   && conditions.Any(c => (string?)c!["type"] == "Available" && (string?)c["status"] == "True")
                   && conditions.Any(c => (string?)c!["type"] == "Progressing" && (string?)c["reason"] == "NewReplicaSetAvailable");
        }, Patience, () => Client.GetAsync(ApiResource.Deployments, ns, "web").Result["status"]!.ToJsonString());
    }

    [Fact]
    public async Task AnImageChangeRollsOutWithoutDroppingBelowThreeAvailable()
    {
        var ns = await NamespaceAsync(Client);
        await using var kubelet = new NamespaceKubelet(Client, ns);
        await Client.CreateAsync(ApiResource.Deployments, ns, Deployment("web", 3));
        await RolloutStatusAsync(ns, "web");

        var start = await Client.GetAsync(ApiResource.Deployments, ns, "web");
        using var watching = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var lowest = int.MaxValue;
        var events = 0;
        var watch = Task.Run(async () =>
        {
            try
            {
                await foreach (var change in Client.WatchAsync(ApiResource.Deployments, ns,
                                   new WatchOptions { ResourceVersion = (string?)start["metadata"]!["resourceVersion"], FieldSelector = "metadata.name=web" }, watching.Token))
                {
                    if (change.Type is WatchEventTypes.Bookmark)
                        continue;
                    events++;
                    lowest = Math.Min(lowest, (int?)change.Object["status"]?["availableReplicas"] ?? 0);
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        await Client.PatchAsync(ApiResource.Deployments, ns, "web", PatchType.Strategic, JsonNode.Parse(
            """{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.26"}]}}}}""")!);
        await RolloutStatusAsync(ns, "web");
        await Eventually.HoldsAsync(async () => (await PodsAsync(Client, ns)).Count == 3, Patience);
        await watching.CancelAsync();
        await watch;

        output.WriteLine($"{events} deployment events, lowest availableReplicas {lowest}");
        Assert.True(events > 0);
        Assert.True(lowest >= 3, $"availableReplicas dropped to {lowest}");
        Assert.All(await PodsAsync(Client, ns), p => Assert.Equal("nginx:1.26", Image(p)));
        Assert.Equal(2, (await ReplicaSetsAsync(Client, ns)).Count);
    }

    [Fact]
    public async Task KubectlScaleHistoryAndUndoWork()
    {
        var ns = await NamespaceAsync(Client);
        await using var kubelet = new NamespaceKubelet(Client, ns);
        await Client.CreateAsync(ApiResource.Deployments, ns, Deployment("web", 2));
        await RolloutStatusAsync(ns, "web");

        Assert.True((await RunAsync("scale", "deployment/web", "--replicas=4", "-n", ns)).Succeeded);
        await RolloutStatusAsync(ns, "web");
        await Eventually.HoldsAsync(async () => (await PodsAsync(Client, ns)).Count == 4, Patience);

        Assert.True((await RunAsync("set", "image", "deployment/web", "web=nginx:1.26", "-n", ns)).Succeeded);
        await RolloutStatusAsync(ns, "web");
        var history = await RunAsync("rollout", "history", "deployment/web", "-n", ns);
        Assert.True(history.Succeeded, history.ToString());
        Assert.Contains("REVISION", history.Output);
        Assert.Matches(@"(?m)^1\s", history.Output);
        Assert.Matches(@"(?m)^2\s", history.Output);

        var undo = await RunAsync("rollout", "undo", "deployment/web", "-n", ns);
        Assert.True(undo.Succeeded, undo.ToString());
        await RolloutStatusAsync(ns, "web");
        await Eventually.HoldsAsync(async () => (await PodsAsync(Client, ns)) is { Count: 4 } pods && pods.All(p => Image(p) == "nginx:1.25"), Patience);
        var sets = await ReplicaSetsAsync(Client, ns);
        var current = sets.Single(rs => (int?)rs["spec"]!["replicas"] == 4);
        Assert.Equal("3", (string?)current["metadata"]!["annotations"]!["deployment.kubernetes.io/revision"]);
        Assert.Equal("nginx:1.25", (string?)current["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]);
    }

    [Fact]
    public async Task RecreateStopsOldPodsBeforeStartingNewOnes()
    {
        var ns = await NamespaceAsync(Client);
        await using var kubelet = new NamespaceKubelet(Client, ns);
        await Client.CreateAsync(ApiResource.Deployments, ns, Deployment("web", 3, strategy: new JsonObject { ["type"] = "Recreate" }));
        await RolloutStatusAsync(ns, "web");

        using var watching = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var mixed = false;
        var poll = Task.Run(async () =>
        {
            while (!watching.IsCancellationRequested)
            {
                var images = (await PodsAsync(Client, ns)).Select(Image).Distinct().Count();
                mixed |= images > 1;
                await Task.Delay(50);
            }
        });
        await Client.PatchAsync(ApiResource.Deployments, ns, "web", PatchType.Strategic, JsonNode.Parse(
            """{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.26"}]}}}}""")!);
        await RolloutStatusAsync(ns, "web");
        await watching.CancelAsync();
        await poll;
        Assert.False(mixed, "old and new pods ran side by side");
        Assert.All(await PodsAsync(Client, ns), p => Assert.Equal("nginx:1.26", Image(p)));
    }

    [Fact]
    public async Task APausedDeploymentDoesNotRollOutUntilResumed()
    {
        var ns = await NamespaceAsync(Client);
        await using var kubelet = new NamespaceKubelet(Client, ns);
        await Client.CreateAsync(ApiResource.Deployments, ns, Deployment("web", 2));
        await RolloutStatusAsync(ns, "web");

        Assert.True((await RunAsync("rollout", "pause", "deployment/web", "-n", ns)).Succeeded);
        Assert.True((await RunAsync("set", "image", "deployment/web", "web=nginx:1.26", "-n", ns)).Succeeded);
        await Eventually.HoldsAsync(async () =>
        {
            var d = await Client.GetAsync(ApiResource.Deployments, ns, "web");
            return (long?)d["status"]?["observedGeneration"] == (long?)d["metadata"]!["generation"]
                   && d["status"]!["conditions"]!.AsArray().Any(c => (string?)c!["reason"] == "DeploymentPaused");
        }, Patience);
        await Task.Delay(2000);
        Assert.Single(await ReplicaSetsAsync(Client, ns));

        Assert.True((await RunAsync("rollout", "resume", "deployment/web", "-n", ns)).Succeeded);
        await RolloutStatusAsync(ns, "web");
        await Eventually.HoldsAsync(async () => (await PodsAsync(Client, ns)) is { Count: 2 } pods && pods.All(p => Image(p) == "nginx:1.26"), Patience);
    }

    [Fact]
    public async Task OldReplicaSetsBeyondTheHistoryLimitAreDeleted()
    {
        var ns = await NamespaceAsync(Client);
        await using var kubelet = new NamespaceKubelet(Client, ns);
        var deployment = Deployment("web", 1);
        deployment["spec"]!["revisionHistoryLimit"] = 1;
        await Client.CreateAsync(ApiResource.Deployments, ns, deployment);
        await RolloutStatusAsync(ns, "web");
        foreach (var tag in new[] { "1.26", "1.27", "1.28" })
        {
            Assert.True((await RunAsync("set", "image", "deployment/web", $"web=nginx:{tag}", "-n", ns)).Succeeded);
            await RolloutStatusAsync(ns, "web");
        }
        await Eventually.HoldsAsync(async () => (await ReplicaSetsAsync(Client, ns)).Count == 2, Patience,
            () => string.Join(", ", ReplicaSetsAsync(Client, ns).Result.Select(rs => (string?)rs["metadata"]!["name"])));
        var revisions = (await ReplicaSetsAsync(Client, ns)).Select(rs => (string?)rs["metadata"]!["annotations"]!["deployment.kubernetes.io/revision"]).Order().ToList();
        Assert.Equal(["3", "4"], revisions);
    }

    [Fact]
    public async Task KubectlDeleteOfADeploymentRemovesItsReplicaSetsAndPods()
    {
        var ns = await NamespaceAsync(Client);
        await using var kubelet = new NamespaceKubelet(Client, ns);
        await Client.CreateAsync(ApiResource.Deployments, ns, Deployment("web", 3));
        await RolloutStatusAsync(ns, "web");
        var deleted = await RunAsync("delete", "deployment", "web", "-n", ns, "--timeout=60s");
        Assert.True(deleted.Succeeded, deleted.ToString());
        await Eventually.HoldsAsync(async () => (await ReplicaSetsAsync(Client, ns)).Count == 0 && (await PodsAsync(Client, ns)).Count == 0, Patience);
    }
}
