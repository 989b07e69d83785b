using System.Threading.Channels;
using Orchestrator.Client.Watching;
using Xunit;

namespace Orchestrator.Client.Tests;

public sealed class WatchTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task WatchSeesAddedModifiedDeletedWrittenThroughAnotherReplica()
    {
        var token = Objects.Timeout();
        var ns = await Objects.NewNamespaceAsync(fixture.Clients[0], token);
        var (writer, watcher) = (fixture.Clients[0], fixture.Clients[2]);
        var start = await watcher.ListAsync(ApiResource.ConfigMaps, ns, token: token);

        var events = Channel.CreateUnbounded<WatchEvent>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        var watching = Task.Run(async () =>
        {
            await foreach (var e in watcher.WatchAsync(ApiResource.ConfigMaps, ns, new WatchOptions { ResourceVersion = start.ResourceVersion }, stop.Token))
                await events.Writer.WriteAsync(e, stop.Token);
        }, stop.Token);

        var created = await writer.CreateAsync(ApiResource.ConfigMaps, ns, Objects.ConfigMap(ns, "cm"), token: token);
        created["data"]!["key"] = "changed";
        var updated = await writer.UpdateAsync(ApiResource.ConfigMaps, created, token: token);
        await writer.DeleteAsync(ApiResource.ConfigMaps, ns, "cm", token: token);

        var added = await events.Reader.ReadAsync(token);
        var modified = await events.Reader.ReadAsync(token);
        var deleted = await events.Reader.ReadAsync(token);
        Assert.Equal((WatchEventTypes.Added, Objects.ResourceVersion(created)), (added.Type, added.ResourceVersion));
        Assert.Equal((WatchEventTypes.Modified, Objects.ResourceVersion(updated)), (modified.Type, modified.ResourceVersion));
        Assert.Equal("changed", modified.Object["data"]!["key"]!.GetValue<string>());
        Assert.Equal(WatchEventTypes.Deleted, deleted.Type);
        Assert.Equal("cm", Objects.Name(deleted.Object));

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => watching);
    }

    [Fact]
    public async Task WatchFromZeroReplaysCurrentStateAndEndsAtTimeout()
    {
        var token = Objects.Timeout();
        var ns = await Objects.NewNamespaceAsync(fixture.Clients[0], token);
        await fixture.Clients[0].CreateAsync(ApiResource.ConfigMaps, ns, Objects.ConfigMap(ns, "a"), token: token);
        await fixture.Clients[0].CreateAsync(ApiResource.ConfigMaps, ns, Objects.ConfigMap(ns, "b"), token: token);

        var seen = new List<WatchEvent>();
        await foreach (var e in fixture.Clients[1].WatchAsync(ApiResource.ConfigMaps, ns,
                           new WatchOptions { ResourceVersion = "0", TimeoutSeconds = 2 }, token))
            seen.Add(e);

        Assert.Equal(["a", "b", Objects.RootCaConfigMap], seen.Where(e => e.Type == WatchEventTypes.Added).Select(e => Objects.Name(e.Object)).Order());
    }
}
