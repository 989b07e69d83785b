using Orchestrator.Testing;
using System.Text;
using Orchestrator.Storage.Commands;
using Orchestrator.Storage.Replication.Grpc;
using Xunit;

namespace Orchestrator.Storage.Tests.Cluster;

public sealed class ConsistencyTests
{
    [Fact]
    public async Task ConcurrentUpdatesWithTheSameExpectedRevisionHaveExactlyOneWinner()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        const string key = "/registry/core/configmaps/default/contended";
        var created = await TestCluster.PutAsync(cluster.Replicas[0], key, "v0");
        Assert.Equal((int)CommandOutcome.Ok, created.Outcome);

        for (var round = 0; round < 5; round++)
        {
            var current = await cluster.Replicas[0].Client.GetAsync(new GetRequest { Key = key });
            var expected = current.Kv.ModRevision;
            // One writer per replica, all with the same precondition, started together.
            var attempts = cluster.Replicas.Select(r => TestCluster.ProposeAsync(r,
                StoreCommand.Update(key, Encoding.UTF8.GetBytes($"round-{round}-from-{r.Ordinal}"), expected))).ToList();
            var outcomes = (await Task.WhenAll(attempts)).Select(r => (CommandOutcome)r.Outcome).ToList();
            Assert.Equal(1, outcomes.Count(o => o == CommandOutcome.Ok));
            Assert.Equal(2, outcomes.Count(o => o == CommandOutcome.Conflict));
        }
    }

    [Fact]
    public async Task CreateOfAnExistingKeyAndUpdateOfAMissingKeyAreRefused()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        const string key = "/registry/core/pods/default/p1";
        Assert.Equal((int)CommandOutcome.Ok, (await TestCluster.PutAsync(cluster.Replicas[1], key, "a")).Outcome);
        Assert.Equal((int)CommandOutcome.AlreadyExists, (await TestCluster.PutAsync(cluster.Replicas[2], key, "b")).Outcome);
        var missing = await TestCluster.ProposeAsync(cluster.Replicas[0], StoreCommand.Update("/registry/core/pods/default/none", "x"u8.ToArray()));
        Assert.Equal((int)CommandOutcome.NotFound, missing.Outcome);
        var delete = await TestCluster.ProposeAsync(cluster.Replicas[2], StoreCommand.Delete(key, expectedRevision: 1));
        Assert.Equal((int)CommandOutcome.Conflict, delete.Outcome);
        Assert.Equal("a", await TestCluster.GetAsync(cluster.Replicas[0], key));
    }

    [Fact]
    public async Task ARetriedCommandIdIsAppliedOnce()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        const string key = "/registry/core/configmaps/default/retried";
        await TestCluster.PutAsync(cluster.Replicas[0], key, "v1");
        var revision = (await cluster.Replicas[0].Client.GetAsync(new GetRequest { Key = key })).Kv.ModRevision;

        // The same command (same id) sent three times, through different replicas, as a client would
        // after a lost reply. Applied twice, the second copy would conflict and a third update would win.
        var update = StoreCommand.Update(key, "v2"u8.ToArray(), revision);
        var replies = new List<ProposeResponse>();
        foreach (var replica in cluster.Replicas)
            replies.Add(await TestCluster.ProposeAsync(replica, update));

        Assert.All(replies, r => Assert.Equal((int)CommandOutcome.Ok, r.Outcome));
        Assert.Single(replies.Select(r => r.Revision).Distinct());
        var stored = await cluster.Replicas[2].Client.GetAsync(new GetRequest { Key = key });
        Assert.Equal("v2", stored.Kv.Value.ToStringUtf8());
        Assert.Equal(replies[0].Revision, stored.Kv.ModRevision);

        var created = StoreCommand.Create("/registry/core/configmaps/default/once", "x"u8.ToArray());
        var first = await TestCluster.ProposeAsync(cluster.Replicas[1], created);
        var again = await TestCluster.ProposeAsync(cluster.Replicas[2], created);
        Assert.Equal((int)CommandOutcome.Ok, first.Outcome);
        Assert.Equal((int)CommandOutcome.Ok, again.Outcome); // not AlreadyExists: it is the same command
        Assert.Equal(first.Revision, again.Revision);
    }
}
