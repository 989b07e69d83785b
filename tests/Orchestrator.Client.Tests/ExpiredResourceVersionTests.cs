using System.Collections.Concurrent;
using Orchestrator.Api.Errors;
using Orchestrator.Client.Informers;
using Orchestrator.Client.Watching;
using Orchestrator.Testing;
using Xunit;

namespace Orchestrator.Client.Tests;

/// <summary>Replicas keep 20 watch events, so more than 20 writes make an older resourceVersion expire.</summary>
public sealed class ExpiredResourceVersionTests(SmallWatchWindowFixture fixture) : IClassFixture<SmallWatchWindowFixture>
{
    [Fact]
    public async Task WatchFromTooOldResourceVersionThrowsResourceExpired()
    {
        var token = Objects.Timeout(60);
        var ns = await Objects.NewNamespaceAsync(fixture.Clients[0], token);
        var first = await fixture.Clients[0].CreateAsync(ApiResource.ConfigMaps, ns, Objects.ConfigMap(ns, "first"), token: token);
        for (var i = 0; i < 30; i++)
            await fixture.Clients[0].CreateAsync(ApiResource.ConfigMaps, ns, Objects.ConfigMap(ns, $"cm{i}"), token: token);

        var expired = await Assert.ThrowsAsync<ResourceExpiredException>(async () =>
        {
            await foreach (var _ in fixture.Clients[1].WatchAsync(ApiResource.ConfigMaps, ns,
                               new WatchOptions { ResourceVersion = Objects.ResourceVersion(first), TimeoutSeconds = 10 }, token))
            {
            }
        });
        Assert.Equal(410, expired.Code);
        Assert.Equal(StatusReasons.Expired, expired.Reason);
    }

    [Fact]
    public async Task InformerRelistsAfterItsReplicaWasDownLongerThanTheWatchWindow()
    {
        var token = Objects.Timeout(120);
        var ns = await Objects.NewNamespaceAsync(fixture.Clients[0], token);
        var writer = fixture.Clients[0];
        var replica = fixture.Cluster.Replicas[2];
        for (var i = 0; i < 5; i++)
            await writer.CreateAsync(ApiResource.ConfigMaps, ns, Objects.ConfigMap(ns, $"old{i}"), token: token);

        var deleted = new ConcurrentBag<string>();
        await using var informer = new Informer(fixture.Clients[2], ApiResource.ConfigMaps, ns, (e, _) =>
        {
            if (e.Type == InformerEventType.Deleted)
                deleted.Add(Objects.Name(e.Object));
            return ValueTask.CompletedTask;
        }, new InformerOptions { MaxBackoff = TimeSpan.FromSeconds(1) });
        informer.Start();
        await informer.WaitForSyncAsync(token);
        Assert.Equal(5 + 1, informer.Count); // and kube-root-ca.crt

        // While the informer's replica is down it misses more events than any replica keeps.
        replica.Kill();
        for (var i = 0; i < 30; i++)
            await writer.CreateAsync(ApiResource.ConfigMaps, ns, Objects.ConfigMap(ns, $"new{i}"), token: token);
        await writer.DeleteAsync(ApiResource.ConfigMaps, ns, "old0", token: token);
        await writer.DeleteAsync(ApiResource.ConfigMaps, ns, "old1", token: token);
        fixture.Cluster.Restart(replica);
        await fixture.Cluster.WaitReadyAsync([replica]);

        await Eventually.HoldsAsync(() => Task.FromResult(informer.Count == 33 + 1), TimeSpan.FromSeconds(60),
            () => $"count {informer.Count}, lists {informer.ListCount}, last error {informer.LastError}");
        Assert.True(informer.ListCount >= 2, $"expected a relist, lists: {informer.ListCount}");
        Assert.Equal(["old0", "old1"], deleted.Order());
        Assert.Null(informer.Get(ns, "old0"));
        Assert.NotNull(informer.Get(ns, "new29"));
    }
}
