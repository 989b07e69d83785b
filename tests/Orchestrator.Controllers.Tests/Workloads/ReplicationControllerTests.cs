using System.Text.Json.Nodes;
using Orchestrator.Client;
using Orchestrator.Testing;
using Xunit.Abstractions;
using static Orchestrator.Controllers.Tests.Workloads.WorkloadObjects;

namespace Orchestrator.Controllers.Tests.Workloads;

/// <summary>ReplicationControllers driven through the API and kubectl, with a test kubelet starting their pods.</summary>
public sealed class ReplicationControllerTests(ControlPlaneCluster cluster, ITestOutputHelper output) : IClassFixture<ControlPlaneCluster>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private KubeClient Client => cluster.Client(1);

    private Kubectl Kubectl => Kubectl.For(cluster.Cluster);

    private string Context => cluster.Cluster.ContextOf(cluster.Cluster.Replicas[1]);

    private async Task<KubectlResult> RunAsync(params string[] args)
    {
        var result = await Kubectl.RunAsync(Context, args, timeout: TimeSpan.FromSeconds(90));
        output.WriteLine($"kubectl {string.Join(' ', args)}\n{result}");
        return result;
    }

    private async Task RunningPodsAsync(string ns, int count) =>
        await Eventually.HoldsAsync(async () =>
        {
            var pods = await PodsAsync(Client, ns);
            return pods.Count == count && pods.All(p => (string?)p["status"]?["phase"] == "Running");
        }, Patience, () => string.Join("\n", PodsAsync(Client, ns).Result.Select(p => p.ToJsonString())));

    private async Task StatusAsync(string ns, string name, int replicas) =>
        await Eventually.HoldsAsync(async () =>
        {
            var status = (await Client.GetAsync(ApiResource.ReplicationControllers, ns, name))["status"];
            return (int?)status?["replicas"] == replicas && (int?)status["readyReplicas"] == replicas
                   && (int?)status["availableReplicas"] == replicas && (int?)status["fullyLabeledReplicas"] == replicas;
        }, Patience, () => Client.GetAsync(ApiResource.ReplicationControllers, ns, name).Result["status"]?.ToJsonString() ?? "no status");

    [Fact]
    public async Task ARcOfThreeOwnsThreePodsScalesToOneAndTakesThemWhenDeleted()
    {
        var ns = await NamespaceAsync(Client);
        await using var kubelet = new NamespaceKubelet(Client, ns);
        var created = await Client.CreateAsync(ApiResource.ReplicationControllers, ns, ReplicationController("web", 3));
        // The selector and the object's labels came from the template.
        Assert.Equal("web", (string?)created["spec"]!["selector"]!["app"]);
        Assert.Equal("web", (string?)created["metadata"]!["labels"]!["app"]);
        var uid = (string?)created["metadata"]!["uid"];

        await RunningPodsAsync(ns, 3);
        Assert.All(await PodsAsync(Client, ns), pod =>
        {
            var owner = Assert.Single(pod["metadata"]!["ownerReferences"]!.AsArray())!;
            Assert.Equal("v1", (string?)owner["apiVersion"]);
            Assert.Equal("ReplicationController", (string?)owner["kind"]);
            Assert.Equal("web", (string?)owner["name"]);
            Assert.Equal(uid, (string?)owner["uid"]);
            Assert.True((bool?)owner["controller"]);
            Assert.StartsWith("web-", (string?)pod["metadata"]!["name"]);
        });
        await StatusAsync(ns, "web", 3);
        Assert.Equal(1, (int?)(await Client.GetAsync(ApiResource.ReplicationControllers, ns, "web"))["status"]!["observedGeneration"]);

        var scale = await Client.GetSubresourceAsync(ApiResource.ReplicationControllers, ns, "web", "scale");
        Assert.Equal("Scale", (string?)scale["kind"]);
        Assert.Equal("autoscaling/v1", (string?)scale["apiVersion"]);
        Assert.Equal("app=web", (string?)scale["status"]!["selector"]);
        Assert.Equal(3, (int?)scale["spec"]!["replicas"]);
        scale["spec"]!["replicas"] = 1;
        var scaled = await Client.UpdateAsync(ApiResource.ReplicationControllers, scale, subresource: "scale");
        Assert.Equal(1, (int?)scaled["spec"]!["replicas"]);
        await RunningPodsAsync(ns, 1);
        await StatusAsync(ns, "web", 1);
        Assert.Equal(2, (int?)(await Client.GetAsync(ApiResource.ReplicationControllers, ns, "web"))["status"]!["observedGeneration"]);

        await Client.DeleteAsync(ApiResource.ReplicationControllers, ns, "web");
        await Eventually.HoldsAsync(async () => (await PodsAsync(Client, ns)).Count == 0, Patience);
    }

    [Fact]
    public async Task KubectlGetsAndScalesAnRc()
    {
        var ns = await NamespaceAsync(Client);
        await using var kubelet = new NamespaceKubelet(Client, ns);
        await Client.CreateAsync(ApiResource.ReplicationControllers, ns, ReplicationController("api", 2));
        await RunningPodsAsync(ns, 2);
        await StatusAsync(ns, "api", 2);

        var table = await RunAsync("get", "rc", "-n", ns);
        Assert.True(table.Succeeded, table.ToString());
        var lines = table.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAME", "DESIRED", "CURRENT", "READY", "AGE"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["api", "2", "2", "2"], lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[..4]);
        var wide = await RunAsync("get", "replicationcontrollers", "api", "-n", ns, "-o", "wide");
        Assert.True(wide.Succeeded, wide.ToString());
        Assert.Contains("app=api", wide.Output);
        var described = await RunAsync("describe", "rc/api", "-n", ns);
        Assert.True(described.Succeeded, described.ToString());
        Assert.Contains("Selector:", described.Output);
        Assert.Contains("2 current / 2 desired", described.Output);

        var scaled = await RunAsync("scale", "rc/api", "--replicas=0", "-n", ns);
        Assert.True(scaled.Succeeded, scaled.ToString());
        Assert.Contains("replicationcontroller/api scaled", scaled.Output);
        await Eventually.HoldsAsync(async () => (await PodsAsync(Client, ns)).Count == 0, Patience);
        await StatusAsync(ns, "api", 0);
    }

    [Fact]
    public async Task AnRcWhoseTemplateLabelsMissItsSelectorIsRejectedWith422()
    {
        var ns = await NamespaceAsync(Client);
        var rc = ReplicationController("db", 1);
        rc["spec"]!["selector"] = new JsonObject { ["app"] = "other" };

        var error = await Assert.ThrowsAsync<KubeApiException>(() => Client.CreateAsync(ApiResource.ReplicationControllers, ns, rc));

        Assert.Equal(422, error.Code);
        Assert.Equal("Invalid", error.Reason);
        Assert.Contains(error.Status.Details!.Causes, c => c.Field == "spec.template.metadata.labels");
    }
}
