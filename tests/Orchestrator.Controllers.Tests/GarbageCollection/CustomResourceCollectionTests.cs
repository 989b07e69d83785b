using System.Text.Json.Nodes;
using Orchestrator.Api.Objects;
using Orchestrator.Client;
using Orchestrator.Testing;

namespace Orchestrator.Controllers.Tests.GarbageCollection;

/// <summary>
/// The garbage collector and the namespace controller with custom resources, found through discovery (re-read every
/// 15 s, hence the patience).
/// </summary>
public sealed class CustomResourceCollectionTests(ControlPlaneCluster cluster) : IClassFixture<ControlPlaneCluster>
{
    private static readonly ApiResource Crds = new("apiextensions.k8s.io", "v1", "customresourcedefinitions", false);
    private static readonly ApiResource Widgets = new("example.com", "v1", "widgets", true);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private KubeClient Client => cluster.Client(1);

    [Fact]
    public async Task DeletingANamespaceDeletesTheCustomResourcesInIt()
    {
        await EnsureWidgetsAsync();
        var ns = await TestObjects.NamespaceAsync(Client, "cr-ns");
        await Client.CreateAsync(Widgets, ns, Widget("w1"));
        await Client.DeleteAsync(ApiResource.Namespaces, null, ns);
        await Eventually.HoldsAsync(async () => await GoneAsync(ApiResource.Namespaces, null, ns), Patience,
            () => "the namespace is still there; widgets left: " + string.Join(", ", Names(Client.ListAsync(Widgets, ns).Result.Items)));
    }

    [Fact]
    public async Task ACustomResourceWhoseOwnerIsGoneIsCollected()
    {
        await EnsureWidgetsAsync();
        var ns = await TestObjects.NamespaceAsync(Client, "cr-dep");
        var owner = await Client.CreateAsync(ApiResource.ConfigMaps, ns, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "owner" },
        });
        await Client.CreateAsync(Widgets, ns, Widget("dependent", owner));
        await Client.DeleteAsync(ApiResource.ConfigMaps, ns, "owner", new DeleteOptions { PropagationPolicy = "Background" });
        await Eventually.HoldsAsync(async () => await GoneAsync(Widgets, ns, "dependent"), Patience);
    }

    [Fact]
    public async Task ACustomResourceOwnerTakesItsDependentsAlongInTheForeground()
    {
        await EnsureWidgetsAsync();
        var ns = await TestObjects.NamespaceAsync(Client, "cr-own");
        var owner = await Client.CreateAsync(Widgets, ns, Widget("owner"));
        var dependent = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "dependent", ["ownerReferences"] = new JsonArray(OwnerReference(owner)) },
        };
        await Client.CreateAsync(ApiResource.ConfigMaps, ns, dependent);
        var deleting = await Client.DeleteAsync(Widgets, ns, "owner", new DeleteOptions { PropagationPolicy = "Foreground" });
        Assert.Contains("foregroundDeletion", deleting.Finalizers());
        await Eventually.HoldsAsync(async () =>
        {
            var ownerGone = await GoneAsync(Widgets, ns, "owner");
            var dependentGone = await GoneAsync(ApiResource.ConfigMaps, ns, "dependent");
            Assert.False(ownerGone && !dependentGone, "the owner went before its blocking dependent");
            return ownerGone && dependentGone;
        }, Patience);
    }

    /// <summary>Creates the widgets CRD once and waits until discovery serves it.</summary>
    private async Task EnsureWidgetsAsync()
    {
        try
        {
            await Client.CreateAsync(Crds, null, JsonNode.Parse("""
                {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
                 "metadata":{"name":"widgets.example.com"},
                 "spec":{"group":"example.com","scope":"Namespaced",
                   "names":{"plural":"widgets","singular":"widget","kind":"Widget","listKind":"WidgetList"},
                   "versions":[{"name":"v1","served":true,"storage":true,
                     "schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}]}}
                """)!.AsObject());
        }
        catch (KubeApiException e) when (e.Code == 409)
        {
        }
        await Eventually.HoldsAsync(async () =>
            (await Client.DiscoverResourcesAsync()).Any(r => r.Resource == Widgets && r.Kind == "Widget"), Patience);
    }

    private static JsonObject Widget(string name, JsonObject? owner = null)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (owner is not null)
            metadata["ownerReferences"] = new JsonArray(OwnerReference(owner));
        return new JsonObject { ["apiVersion"] = "example.com/v1", ["kind"] = "Widget", ["metadata"] = metadata, ["spec"] = new JsonObject { ["size"] = 1 } };
    }

    private static JsonObject OwnerReference(JsonObject owner) => new()
    {
        ["apiVersion"] = owner["apiVersion"]?.DeepClone(),
        ["kind"] = owner["kind"]?.DeepClone(),
        ["name"] = owner.Name(),
        ["uid"] = owner.Uid(),
        ["blockOwnerDeletion"] = true,
    };

    private async Task<bool> GoneAsync(ApiResource resource, string? ns, string name)
    {
        try
        {
            await Client.GetAsync(resource, ns, name);
            return false;
        }
        catch (KubeApiException e) when (e.Code == 404)
        {
            return true;
        }
    }

    private static IEnumerable<string> Names(IEnumerable<JsonObject> items) => items.Select(i => i.Name());
}
