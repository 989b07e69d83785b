using System.Text.Json.Nodes;
using Orchestrator.Client;
using Orchestrator.Testing;

namespace Orchestrator.E2E.Tests;

/// <summary>Controllers, scheduler and simulated nodes, driven by kubectl and watched through the API.</summary>
public sealed class ControlPlaneTests(ControlPlaneFixture fixture) : IClassFixture<ControlPlaneFixture>
{
    private const string Context = "replica-1";

    [Fact]
    public async Task RollingUpdateKeepsThreeAvailableThenHistoryUndoAndScale()
    {
        var ns = await fixture.NamespaceAsync();
        await fixture.OkWithInputAsync(Context, Manifests.Deployment("web", 3, "nginx:1.25", maxSurge: 1, maxUnavailable: 0), "-n", ns, "apply", "-f", "-");
        await fixture.OkAsync("replica-2", "-n", ns, "rollout", "status", "deployment/web", "--timeout=90s");
        var pods = await RunningPodsAsync(ns, "app=web");
        Assert.Equal(3, pods.Count);
        Assert.True(pods.Select(p => (string?)p["spec"]!["nodeName"]).Distinct().Count() >= 2, "pods of one deployment spread over nodes");
        Assert.All(pods, p => Assert.False(string.IsNullOrEmpty((string?)p["status"]!["podIP"])));

        // Watch the deployment through another replica while the image changes: availability never drops below 3.
        using var watching = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var minimum = int.MaxValue;
        var events = 0;
        var list = await fixture.Client.ListAsync(Workloads.Deployments, ns);
        var watch = Task.Run(async () =>
        {
            await foreach (var change in fixture.Client.WatchAsync(Workloads.Deployments, ns, new() { ResourceVersion = list.ResourceVersion }, watching.Token))
            {
                events++;
                minimum = Math.Min(minimum, (int?)change.Object["status"]?["availableReplicas"] ?? 0);
                var status = change.Object["status"];
                if ((int?)status?["updatedReplicas"] == 3 && (int?)status?["availableReplicas"] == 3 && (int?)status?["replicas"] == 3
                    && (long?)status?["observedGeneration"] == (long?)change.Object["metadata"]!["generation"] && (long?)change.Object["metadata"]!["generation"] > 1)
                    return;
            }
        });
        await fixture.OkAsync("replica-3", "-n", ns, "patch", "deployment", "web", "-p", """{"spec":{"template":{"spec":{"containers":[{"name":"main","image":"nginx:1.26"}]}}}}""");
        await fixture.OkAsync(Context, "-n", ns, "rollout", "status", "deployment/web", "--timeout=90s");
        await watch.WaitAsync(TimeSpan.FromSeconds(120));
        Assert.True(events > 1, "the rollout was watched");
        Assert.True(minimum >= 3, $"available replicas dropped to {minimum} during the rollout");
        Assert.All(await RunningPodsAsync(ns, "app=web"), p => Assert.Equal("nginx:1.26", (string?)p["spec"]!["containers"]![0]!["image"]));

        var history = await fixture.OkAsync(Context, "-n", ns, "rollout", "history", "deployment/web");
        Assert.Matches(@"(?m)^1\s", history);
        Assert.Matches(@"(?m)^2\s", history);
        await fixture.OkAsync("replica-2", "-n", ns, "rollout", "undo", "deployment/web");
        await fixture.OkAsync(Context, "-n", ns, "rollout", "status", "deployment/web", "--timeout=90s");
        Assert.Equal("nginx:1.25", await fixture.OkAsync(Context, "-n", ns, "get", "deployment", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image}"));
        await Eventually.HoldsAsync(async () => (await RunningPodsAsync(ns, "app=web")).All(p => (string?)p["spec"]!["containers"]![0]!["image"] == "nginx:1.25"), TimeSpan.FromSeconds(60));

        await fixture.OkAsync(Context, "-n", ns, "scale", "deployment", "web", "--replicas=5");
        await fixture.OkAsync(Context, "-n", ns, "rollout", "status", "deployment/web", "--timeout=90s");
        await Eventually.HoldsAsync(async () => (await RunningPodsAsync(ns, "app=web")).Count == 5, TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task ServiceGetsAddressesAndEndpointsFollowPods()
    {
        var ns = await fixture.NamespaceAsync();
        await fixture.OkWithInputAsync(Context, Manifests.Deployment("api", 2, "nginx:1.25"), "-n", ns, "apply", "-f", "-");
        await fixture.OkWithInputAsync(Context, Workloads.LoadBalancer("api", "api"), "-n", ns, "apply", "-f", "-");
        var service = JsonNode.Parse(await fixture.OkAsync("replica-2", "-n", ns, "get", "service", "api", "-o", "json"))!;
        Assert.StartsWith("10.", (string?)service["spec"]!["clusterIP"]);
        await Eventually.HoldsAsync(async () =>
        {
            var ip = await fixture.OkAsync("replica-3", "-n", ns, "get", "service", "api", "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}");
            return ip.StartsWith("203.0.113.", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(60));

        await Eventually.HoldsAsync(async () => (await EndpointAddressesAsync(ns, "api")).Count == 2, TimeSpan.FromSeconds(60));
        var podIps = (await RunningPodsAsync(ns, "app=api")).Select(p => (string)p["status"]!["podIP"]!).Order().ToList();
        Assert.Equal(podIps, (await EndpointAddressesAsync(ns, "api")).Order().ToList());

        await fixture.OkAsync(Context, "-n", ns, "scale", "deployment", "api", "--replicas=0");
        await Eventually.HoldsAsync(async () => (await EndpointAddressesAsync(ns, "api")).Count == 0, TimeSpan.FromSeconds(60));
        await fixture.OkAsync(Context, "-n", ns, "scale", "deployment", "api", "--replicas=3");
        await Eventually.HoldsAsync(async () => (await EndpointAddressesAsync(ns, "api")).Count == 3, TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task JobRunsToCompletion()
    {
        var ns = await fixture.NamespaceAsync();
        await fixture.OkAsync(Context, "-n", ns, "create", "job", "once", "--image=busybox", "--", "echo", "done");
        await fixture.OkAsync("replica-2", "-n", ns, "wait", "--for=condition=Complete", "job/once", "--timeout=90s");
        Assert.Equal("1", await fixture.OkAsync("replica-3", "-n", ns, "get", "job", "once", "-o", "jsonpath={.status.succeeded}"));
    }

    [Fact]
    public async Task DeletingADeploymentRemovesItsReplicaSetsAndPods()
    {
        var ns = await fixture.NamespaceAsync();
        await fixture.OkWithInputAsync(Context, Manifests.Deployment("gone", 2, "nginx:1.25"), "-n", ns, "apply", "-f", "-");
        await fixture.OkAsync(Context, "-n", ns, "rollout", "status", "deployment/gone", "--timeout=90s");
        Assert.NotEmpty(await fixture.OkAsync(Context, "-n", ns, "get", "replicasets", "-o", "name"));
        await fixture.OkAsync("replica-2", "-n", ns, "delete", "deployment", "gone");
        await Eventually.HoldsAsync(async () =>
            (await fixture.OkAsync(Context, "-n", ns, "get", "replicasets,pods", "-o", "name")).Trim().Length == 0, TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task CordonAndDrainMovePodsAndABudgetBlocksEviction()
    {
        var ns = await fixture.NamespaceAsync();
        await fixture.OkWithInputAsync(Context, Manifests.Deployment("drained", 3, "nginx:1.25"), "-n", ns, "apply", "-f", "-");
        await fixture.OkAsync(Context, "-n", ns, "rollout", "status", "deployment/drained", "--timeout=90s");
        var node = (string)(await RunningPodsAsync(ns, "app=drained"))[0]["spec"]!["nodeName"]!;

        // A budget that allows no disruption: eviction answers 429 and drain gives up at its timeout.
        await fixture.OkWithInputAsync(Context, Workloads.Budget("all", "drained", minAvailable: 3), "-n", ns, "apply", "-f", "-");
        await Eventually.HoldsAsync(async () =>
            await fixture.OkAsync(Context, "-n", ns, "get", "pdb", "all", "-o", "jsonpath={.status.currentHealthy}") == "3", TimeSpan.FromSeconds(60));
        var blocked = await fixture.Kubectl.RunAsync(Context, ["drain", node, "--ignore-daemonsets", "--delete-emptydir-data", "--pod-selector=app=drained", "--timeout=8s"], timeout: TimeSpan.FromSeconds(60));
        Assert.False(blocked.Succeeded, blocked.ToString());
        Assert.Contains("disruption budget", blocked.Output + blocked.Error);
        Assert.Contains("SchedulingDisabled", await fixture.OkAsync(Context, "get", "node", node));

        await fixture.OkAsync(Context, "-n", ns, "delete", "pdb", "all");
        await fixture.OkAsync(Context, "drain", node, "--ignore-daemonsets", "--delete-emptydir-data", "--pod-selector=app=drained", "--timeout=60s");
        await Eventually.HoldsAsync(async () =>
        {
            var pods = await RunningPodsAsync(ns, "app=drained");
            return pods.Count == 3 && pods.All(p => (string?)p["spec"]!["nodeName"] != node);
        }, TimeSpan.FromSeconds(60));
        await fixture.OkAsync(Context, "uncordon", node);
    }

    private async Task<List<JsonObject>> RunningPodsAsync(string ns, string selector)
    {
        var list = await fixture.Client.ListAsync(ApiResource.Pods, ns, new() { LabelSelector = selector });
        return [.. list.Items.Where(p => (string?)p["status"]?["phase"] == "Running" && p["metadata"]?["deletionTimestamp"] is null)];
    }

    private async Task<List<string>> EndpointAddressesAsync(string ns, string name)
    {
        try
        {
            var endpoints = await fixture.Client.GetAsync(Workloads.Endpoints, ns, name);
            return [.. (endpoints["subsets"] as JsonArray ?? []).SelectMany(s => s!["addresses"] as JsonArray ?? []).Select(a => (string)a!["ip"]!)];
        }
        catch (KubeApiException e) when (e.Code == 404)
        {
            return [];
        }
    }
}
