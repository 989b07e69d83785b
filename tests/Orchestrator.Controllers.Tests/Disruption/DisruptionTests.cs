using System.Text.Json.Nodes;
using Orchestrator.Client;
using Orchestrator.Testing;
using Xunit.Abstractions;
using static Orchestrator.Controllers.Tests.KubeletCluster;

namespace Orchestrator.Controllers.Tests.Disruption;

/// <summary>PodDisruptionBudget status, the eviction subresource honouring it, and kubectl drain.</summary>
public sealed class DisruptionTests(KubeletCluster cluster, ITestOutputHelper output) : IClassFixture<KubeletCluster>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly ApiResource Budgets = new("policy", "v1", "poddisruptionbudgets", true);

    private KubeClient Client => cluster.Client;

    [Fact]
    public async Task BudgetStatusCountsHealthyPodsAndEvictionSpendsItsAllowance()
    {
        foreach (var name in new[] { "db-1", "db-2", "db-3" })
            await Client.CreateAsync(ApiResource.Pods, "default", Pod(name, "db", node: null));
        await Client.CreateAsync(Budgets, "default", Json("""
            {"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"db"},
             "spec":{"minAvailable":"60%","selector":{"matchLabels":{"app":"db"}}}}
            """));
        // 60% of 3, rounded up: 2 must stay healthy, so one disruption is allowed.
        var pdb = await EventuallyBudget("db", s => (int?)s["currentHealthy"] == 3 && (int?)s["disruptionsAllowed"] == 1);
        Assert.Equal(2, (int?)pdb["status"]!["desiredHealthy"]);
        Assert.Equal(3, (int?)pdb["status"]!["expectedPods"]);
        Assert.Equal((long?)pdb["metadata"]!["generation"], (long?)pdb["status"]!["observedGeneration"]);
        Assert.Contains(pdb["status"]!["conditions"]!.AsArray(), c => (string?)c!["type"] == "DisruptionAllowed" && (string?)c["status"] == "True");

        // Two evictions at once: exactly one may spend the single allowance.
        var results = await Task.WhenAll(TryEvictAsync("db-1"), TryEvictAsync("db-2"));
        Assert.Single(results, r => r is null);
        var refused = Assert.Single(results, r => r is not null)!;
        Assert.Equal(429, refused.Code);
        Assert.Equal("TooManyRequests", refused.Reason);
        Assert.Equal("Cannot evict pod as it would violate the pod's disruption budget.", refused.Message);
        var cause = Assert.Single(refused.Status.Details!.Causes);
        Assert.Equal("DisruptionBudget", cause.Reason);
        Assert.Matches("^The disruption budget db needs 2 healthy pods and has [23] currently$", cause.Message);

        // Once the evicted pod is gone, the budget shows 2 healthy and nothing more to spend.
        await EventuallyBudget("db", s => (int?)s["currentHealthy"] == 2 && (int?)s["disruptionsAllowed"] == 0 && (int?)s["expectedPods"] == 2);
        var stillRefused = await TryEvictAsync("db-3");
        Assert.Equal(429, stillRefused?.Code);

        // A replacement pod restores the allowance.
        await Client.CreateAsync(ApiResource.Pods, "default", Pod("db-4", "db", node: null));
        await EventuallyBudget("db", s => (int?)s["disruptionsAllowed"] == 1);
        Assert.Null(await TryEvictAsync("db-3"));
    }

    [Fact]
    public async Task PodsWithoutBudgetOrNotReadyAreEvictedAtOnce()
    {
        await Client.CreateAsync(ApiResource.Pods, "default", Pod("lonely", "lonely", node: null));
        await Eventually.HoldsAsync(async () => (string?)(await Client.GetAsync(ApiResource.Pods, "default", "lonely"))["status"]?["phase"] == "Running", Wait);
        var answer = await Client.CreateSubresourceAsync(ApiResource.Pods, "default", "lonely", "eviction", Eviction("lonely"));
        Assert.Equal("Success", (string?)answer["status"]);
        await GoneAsync("lonely");
    }

    [Fact]
    public async Task KubectlDrainEvictsPodsFromTheNode()
    {
        foreach (var name in new[] { "drain-1", "drain-2" })
            await Client.CreateAsync(ApiResource.Pods, "default", Pod(name, "drain", node: "node-b"));
        await Client.CreateAsync(ApiResource.Pods, "default", Pod("stay", "stay", node: "node-a"));
        await Client.CreateAsync(Budgets, "default", Json("""
            {"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"drain"},
             "spec":{"maxUnavailable":1,"selector":{"matchLabels":{"app":"drain"}}}}
            """));
        await EventuallyBudget("drain", s => (int?)s["disruptionsAllowed"] == 1 && (int?)s["currentHealthy"] == 2);

        var kubectl = Kubectl.For(cluster.ControlPlane.Cluster);
        var context = cluster.ControlPlane.Cluster.ContextOf(cluster.ControlPlane.Cluster.Replicas[0]);
        // The budget allows one eviction at a time; drain retries the second after the first pod is gone.
        var result = await kubectl.RunAsync(context, ["drain", "node-b", "--ignore-daemonsets", "--delete-emptydir-data", "--force", "--timeout=60s"],
            timeout: TimeSpan.FromSeconds(90));
        output.WriteLine(result.ToString());
        Assert.True(result.Succeeded, result.ToString());
        Assert.Contains("evicted", result.Output);
        await GoneAsync("drain-1");
        await GoneAsync("drain-2");
        Assert.Equal("Running", (string?)(await Client.GetAsync(ApiResource.Pods, "default", "stay"))["status"]?["phase"]);
        var node = await Client.GetAsync(ApiResource.Nodes, null, "node-b");
        Assert.True((bool?)node["spec"]?["unschedulable"]);
    }

    private async Task<KubeApiException?> TryEvictAsync(string pod)
    {
        try
        {
            await Client.CreateSubresourceAsync(ApiResource.Pods, "default", pod, "eviction", Eviction(pod));
            return null;
        }
        catch (KubeApiException e) when (e.Code == 429)
        {
            return e;
        }
    }

    private async Task GoneAsync(string pod) =>
        await Eventually.HoldsAsync(async () =>
        {
            try
            {
                await Client.GetAsync(ApiResource.Pods, "default", pod);
                return false;
            }
            catch (KubeApiException e) when (e.Code == 404)
            {
                return true;
            }
        }, Wait);

    private async Task<JsonObject> EventuallyBudget(string name, Func<JsonObject, bool> condition)
    {
        JsonObject? last = null;
        await Eventually.HoldsAsync(async () =>
        {
            last = await Client.GetAsync(Budgets, "default", name);
            return last["status"] is JsonObject status && condition(status);
        }, Wait, () => last?.ToJsonString() ?? "");
        return last!;
    }

    private static JsonObject Eviction(string pod) => Json(Fill("""
        {"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"%0%","namespace":"default"},"deleteOptions":{}}
        """, pod));

    private static JsonObject Pod(string name, string app, string? node)
    {
        var nodeName = node is null ? "" : Fill(""","nodeName":"%0%" """, node);
        return Json(Fill("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%0%","labels":{"app":"%1%"}},
             "spec":{"containers":[{"name":"c","image":"busybox"}]%2%}}
            """, name, app, nodeName));
    }
}
