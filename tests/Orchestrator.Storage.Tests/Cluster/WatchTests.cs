using Orchestrator.Testing;
using Grpc.Core;
using Orchestrator.Storage.Commands;
using Orchestrator.Storage.Replication.Grpc;
using Xunit;

namespace Orchestrator.Storage.Tests.Cluster;

public sealed class WatchTests
{
    private const string Prefix = "/registry/core/pods/";

    private static async Task<List<WatchEvent>> CollectAsync(ReplicaProcess replica, long after, int count)
    {
        using var call = replica.Client.Watch(new WatchRequest { Prefix = Prefix, AfterRevision = after, ProgressIntervalMs = 200 },
            deadline: DateTime.UtcNow.AddSeconds(30));
        var events = new List<WatchEvent>();
        while (events.Count < count && await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            Assert.False(call.ResponseStream.Current.Expired);
            events.AddRange(call.ResponseStream.Current.Events);
        }
        return events;
    }

    [Fact]
    public async Task AWatchFromTheSameRevisionDeliversTheSameEventsOnEveryReplica()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var start = await TestCluster.PutAsync(cluster.Replicas[0], "/registry/core/pods/default/first", "0");
        var startRevision = start.Revision;

        // Creates, updates and deletes through all replicas, plus keys outside the prefix.
        for (var i = 0; i < 30; i++)
        {
            var through = cluster.Replicas[i % 3];
            var key = $"{Prefix}default/p{i % 7}";
            var outcome = (await TestCluster.PutAsync(through, key, $"v{i}")).Outcome;
            if (outcome == (int)CommandOutcome.AlreadyExists)
            {
                if (i % 2 == 0)
                    await TestCluster.ProposeAsync(through, StoreCommand.Update(key, System.Text.Encoding.UTF8.GetBytes($"v{i}")));
                else
                    await TestCluster.ProposeAsync(through, StoreCommand.Delete(key));
            }
            await TestCluster.PutAsync(through, $"/registry/core/configmaps/default/c{i}", "x");
        }
        var expected = await CollectAsync(cluster.Replicas[0], startRevision, 30);
        Assert.Equal(30, expected.Count);
        Assert.True(expected.Select(e => e.Revision).SequenceEqual(expected.Select(e => e.Revision).Order()));
        Assert.Equal(expected.Count, expected.Select(e => e.Revision).Distinct().Count());
        Assert.All(expected, e => Assert.True(e.Revision > startRevision));

        foreach (var replica in cluster.Replicas.Skip(1))
        {
            var events = await CollectAsync(replica, startRevision, 30);
            Assert.Equal(expected.Select(Describe), events.Select(Describe));
        }

        // Resuming from the middle starts exactly after the given revision.
        var middle = expected[14].Revision;
        var resumed = await CollectAsync(cluster.Replicas[2], middle, 15);
        Assert.Equal(expected.Skip(15).Select(Describe), resumed.Select(Describe));
    }

    private static string Describe(WatchEvent e) => $"{e.Revision}:{e.Type}:{e.Key}:{e.Value.ToStringUtf8()}";

    [Fact]
    public async Task AWatchOlderThanTheWindowIsRefusedAsExpired()
    {
        await using var cluster = await TestCluster.StartAsync(3, watchWindow: 10);
        var first = await TestCluster.PutAsync(cluster.Replicas[0], $"{Prefix}default/a0", "v");
        for (var i = 1; i < 30; i++)
            await TestCluster.PutAsync(cluster.Replicas[i % 3], $"{Prefix}default/a{i}", "v");

        foreach (var replica in cluster.Replicas)
        {
            using var call = replica.Client.Watch(new WatchRequest { Prefix = Prefix, AfterRevision = first.Revision },
                deadline: DateTime.UtcNow.AddSeconds(10));
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            Assert.True(call.ResponseStream.Current.Expired);
            Assert.True(call.ResponseStream.Current.OldestRevision > first.Revision);
        }
    }

    [Fact]
    public async Task AnIdleWatchGetsProgressNotifications()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var put = await TestCluster.PutAsync(cluster.Replicas[0], "/registry/core/configmaps/default/x", "v");
        using var call = cluster.Replicas[1].Client.Watch(new WatchRequest { Prefix = Prefix, AfterRevision = 0, ProgressIntervalMs = 100 },
            deadline: DateTime.UtcNow.AddSeconds(10));
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Empty(call.ResponseStream.Current.Events);
        Assert.True(call.ResponseStream.Current.ProgressRevision >= put.Revision);
    }
}
