using System.Collections.Concurrent;
using Orchestrator.Client.Informers;
using Orchestrator.Testing;
using Xunit;

namespace Orchestrator.Client.Tests;

public sealed class InformerTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task InformerSyncsExistingObjectsThenSeesNewOnes()
    {
        var token = Objects.Timeout(60);
        var ns = await Objects.NewNamespaceAsync(fixture.Clients[0], token);
        for (var i = 0; i < 5; i++)
            await fixture.Clients[0].CreateAsync(ApiResource.ConfigMaps, ns, Objects.ConfigMap(ns, $"old{i}"), token: token);

        var events = new ConcurrentQueue<InformerEvent>();
        await using var informer = new Informer(fixture.Clients[1], ApiResource.ConfigMaps, ns, (e, _) =>
        {
            events.Enqueue(e);
            return ValueTask.CompletedTask;
        });
        informer.Start();
        await informer.WaitForSyncAsync(token);
        Assert.True(informer.HasSynced);
        // Five made here and the namespace's kube-root-ca.crt.
        Assert.Equal(5 + 1, informer.Count);
        Assert.Equal(5 + 1, events.Count(e => e.Type == InformerEventType.Added));

        for (var i = 0; i < 3; i++)
            await fixture.Clients[2].CreateAsync(ApiResource.ConfigMaps, ns, Objects.ConfigMap(ns, $"new{i}"), token: token);
        await fixture.Clients[2].DeleteAsync(ApiResource.ConfigMaps, ns, "old0", token: token);
        await fixture.Clients[0].PatchAsync(ApiResource.ConfigMaps, ns, "old1", PatchType.Merge,
            new System.Text.Json.Nodes.JsonObject { ["data"] = new System.Text.Json.Nodes.JsonObject { ["key"] = "patched" } }, token: token);

        await Eventually.HoldsAsync(() => Task.FromResult(
            informer.Count == 7 + 1 && informer.Get(ns, "old1")?["data"]?["key"]?.GetValue<string>() == "patched"), TimeSpan.FromSeconds(30));
        Assert.Null(informer.Get(ns, "old0"));
        Assert.Equal(8 + 1, events.Count(e => e.Type == InformerEventType.Added));
        Assert.Contains(events, e => e.Type == InformerEventType.Deleted && Objects.Name(e.Object) == "old0");
        Assert.Contains(events, e => e.Type == InformerEventType.Updated && Objects.Name(e.Object) == "old1" && e.Previous is not null);
        Assert.Equal(1, informer.ListCount);
    }
}
