using System.Text.Json.Nodes;
using Orchestrator.Api.Objects;
using Orchestrator.Client;
using Orchestrator.Testing;

namespace Orchestrator.Controllers.Tests.ServiceAccounts;

/// <summary>Every namespace gets a "default" ServiceAccount, again after it is deleted, but not while terminating.</summary>
public sealed class ServiceAccountControllerTests(ControlPlaneCluster cluster) : IClassFixture<ControlPlaneCluster>
{
    private static readonly ApiResource ServiceAccounts = new("", "v1", "serviceaccounts", true);
    private static readonly ApiResource ConfigMaps = ApiResource.ConfigMaps;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private KubeClient Client => cluster.Client(1);

    [Fact]
    public async Task ANewNamespaceGetsADefaultServiceAccountAndADeletedOneComesBack()
    {
        var ns = await TestObjects.NamespaceAsync(Client, "sa");
        var first = await WaitDefaultAsync(ns);

        await Client.DeleteAsync(ServiceAccounts, ns, "default");
        var second = await WaitDefaultAsync(ns, notUid: first.Uid());
        Assert.NotEqual(first.Uid(), second.Uid());
    }

    [Fact]
    public async Task TheNamespacesEveryClusterStartsWithHaveOne()
    {
        foreach (var ns in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
            await WaitDefaultAsync(ns);
    }

    [Fact]
    public async Task ATerminatingNamespaceDoesNotGetItBack()
    {
        var ns = await TestObjects.NamespaceAsync(Client, "sa-term");
        await WaitDefaultAsync(ns);
        // A finalizer nobody removes keeps the namespace terminating while the namespace controller empties it.
        await Client.CreateAsync(ConfigMaps, ns, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "held", ["finalizers"] = new JsonArray("example.com/hold") },
        });
        await Client.DeleteAsync(ApiResource.Namespaces, null, ns);
        await Eventually.HoldsAsync(async () => !await ExistsAsync(ns), Patience);
        // Several controller rounds: it must stay gone.
        for (var i = 0; i < 10; i++)
        {
            await Task.Delay(300);
            Assert.False(await ExistsAsync(ns), "the default ServiceAccount came back in a terminating namespace");
        }

        var held = await Client.GetAsync(ConfigMaps, ns, "held");
        held["metadata"]!["finalizers"] = new JsonArray();
        await Client.UpdateAsync(ConfigMaps, held);
    }

    private async Task<bool> ExistsAsync(string ns)
    {
        try
        {
            await Client.GetAsync(ServiceAccounts, ns, "default");
            return true;
        }
        catch (KubeApiException e) when (e.Code == 404)
        {
            return false;
        }
    }

    private async Task<JsonObject> WaitDefaultAsync(string ns, string? notUid = null)
    {
        JsonObject? account = null;
        await Eventually.HoldsAsync(async () =>
        {
            account = await Client.GetAsync(ServiceAccounts, ns, "default");
            return account.Uid() != notUid;
        }, Patience, () => $"no default ServiceAccount in {ns}");
        return account!;
    }
}
