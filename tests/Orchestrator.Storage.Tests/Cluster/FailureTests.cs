using Orchestrator.Testing;
using System.Diagnostics;
using Orchestrator.Storage.Commands;
using Orchestrator.Storage.Replication.Grpc;
using Xunit;

namespace Orchestrator.Storage.Tests.Cluster;

public sealed class FailureTests
{
    private static string Key(int i) => $"/registry/core/configmaps/default/cm-{i:D5}";

    private static async Task WriteManyAsync(TestCluster cluster, IReadOnlyList<ReplicaProcess> through, int from, int count)
    {
        var writes = Enumerable.Range(from, count).Select(async i =>
        {
            var reply = await TestCluster.PutAsync(through[i % through.Count], Key(i), $"value-{i}");
            Assert.Equal((int)CommandOutcome.Ok, reply.Outcome);
        });
        await Task.WhenAll(writes);
    }

    private static async Task AssertAllPresentAsync(ReplicaProcess replica, int count, bool local = false)
    {
        var list = await replica.Client.ListAsync(new ListRequest { Prefix = "/registry/core/configmaps/default/", Local = local },
            deadline: DateTime.UtcNow.AddSeconds(20));
        var values = list.Items.ToDictionary(i => i.Key, i => i.Value.ToStringUtf8());
        for (var i = 0; i < count; i++)
            Assert.Equal($"value-{i}", values.GetValueOrDefault(Key(i)));
    }

    [Fact]
    public async Task KillingTheLeaderElectsAnotherAndWritesThroughSurvivorsSucceed()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        await WriteManyAsync(cluster, cluster.Replicas, 0, 20);
        var leader = await cluster.LeaderAsync();
        leader.Kill();
        var survivors = cluster.Replicas.Where(r => r != leader).ToList();

        var newLeader = await cluster.WaitForLeaderAsync(survivors);
        Assert.NotEqual(leader, newLeader);
        await WriteManyAsync(cluster, survivors, 20, 20);
        foreach (var replica in survivors)
            await AssertAllPresentAsync(replica, 40);
    }

    [Fact]
    public async Task AKilledReplicaRestartsWithAllAcknowledgedDataAndAWipedOneCatchesUp()
    {
        // Snapshots every 25 entries, so the log is truncated and a wiped replica needs a snapshot.
        await using var cluster = await TestCluster.StartAsync(3, snapshotEvery: 25);
        var leader = await cluster.LeaderAsync();
        var follower = cluster.Replicas.First(r => r != leader);
        await WriteManyAsync(cluster, cluster.Replicas, 0, 60);

        follower.Kill();
        await WriteManyAsync(cluster, cluster.Replicas.Where(r => r != follower).ToList(), 60, 60);
        cluster.Restart(follower);
        await Eventually.HoldsAsync(async () =>
        {
            await AssertAllPresentAsync(follower, 120, local: true);
            return true;
        }, TimeSpan.FromSeconds(30), () => follower.Output);

        follower.Kill();
        Directory.Delete(follower.DataDirectory, recursive: true);
        await WriteManyAsync(cluster, cluster.Replicas.Where(r => r != follower).ToList(), 120, 30);
        cluster.Restart(follower);
        await Eventually.HoldsAsync(async () =>
        {
            await AssertAllPresentAsync(follower, 150, local: true);
            return true;
        }, TimeSpan.FromSeconds(30), () => follower.Output);
        // It holds a snapshot: the leader's, or its own once applies pass the next snapshot index (a snapshot is
        // published when its dump, which runs beside the applies, is written).
        long snapshotIndex = 0;
        await Eventually.HoldsAsync(async () =>
        {
            snapshotIndex = (await follower.Client.StatusAsync(new StatusRequest())).SnapshotIndex;
            return snapshotIndex > 0;
        }, TimeSpan.FromSeconds(30), () => $"the wiped replica has no snapshot (index {snapshotIndex})\n{follower.Output}");
    }

    [Fact]
    public async Task AReplicaWhoseStoreLostItsCheckpointRebuildsFromItsSnapshot()
    {
        // As after a crash between a snapshot install's publish and its checkpoint: a snapshot file, and a store behind it.
        await using var cluster = await TestCluster.StartAsync(3, snapshotEvery: 25);
        var leader = await cluster.LeaderAsync();
        var follower = cluster.Replicas.First(r => r != leader);
        await WriteManyAsync(cluster, cluster.Replicas, 0, 60);
        await Eventually.HoldsAsync(async () => (await follower.Client.StatusAsync(new StatusRequest())).SnapshotIndex > 0,
            TimeSpan.FromSeconds(30), () => follower.Output);

        follower.Kill();
        Directory.Delete(Path.Combine(follower.DataDirectory, "faster"), recursive: true);
        cluster.Restart(follower);
        await Eventually.HoldsAsync(async () =>
        {
            await AssertAllPresentAsync(follower, 60, local: true);
            return true;
        }, TimeSpan.FromSeconds(30), () => follower.Output);
        Assert.Contains("rebuilding it from the snapshot file", follower.Output);
    }

    [Fact]
    public async Task KillingAllReplicasRightAfterABurstLosesNoAcknowledgedWrite()
    {
        await using var cluster = await TestCluster.StartAsync(3, snapshotEvery: 100);
        await WriteManyAsync(cluster, cluster.Replicas, 0, 250);
        foreach (var replica in cluster.Replicas)
            replica.Kill();
        foreach (var replica in cluster.Replicas)
            cluster.Restart(replica);
        await cluster.WaitForLeaderAsync(cluster.Replicas);
        foreach (var replica in cluster.Replicas)
            await AssertAllPresentAsync(replica, 250);
    }

    [Fact]
    public async Task AddingAFourthReplicaAndRemovingOneKeepsTheData()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        await WriteManyAsync(cluster, cluster.Replicas, 0, 30);

        var fourth = cluster.NewReplica(4);
        cluster.Replicas.Add(fourth);
        cluster.Start(fourth, join: true);
        await Eventually.HoldsAsync(async () =>
        {
            await fourth.Client.StatusAsync(new StatusRequest(), deadline: DateTime.UtcNow.AddSeconds(2));
            return true;
        }, TimeSpan.FromSeconds(30), () => fourth.Output);
        var added = await cluster.Replicas[0].Client.AddMemberAsync(new MemberRequest { RaftEndpoint = fourth.RaftEndpoint },
            deadline: DateTime.UtcNow.AddSeconds(60));
        Assert.True(added.Ok, fourth.Output);
        await Eventually.HoldsAsync(async () =>
        {
            await AssertAllPresentAsync(fourth, 30, local: true);
            return true;
        }, TimeSpan.FromSeconds(30), () => fourth.Output);
        var leaderStatus = await (await cluster.LeaderAsync()).Client.StatusAsync(new StatusRequest());
        Assert.Equal(4, leaderStatus.Members.Count);
        await Eventually.HoldsAsync(async () => (await fourth.Client.StatusAsync(new StatusRequest())).Members.Count == 4,
            TimeSpan.FromSeconds(10));

        var leader = await cluster.LeaderAsync();
        var removed = cluster.Replicas.First(r => r != leader && r != fourth);
        var reply = await fourth.Client.RemoveMemberAsync(new MemberRequest { RaftEndpoint = removed.RaftEndpoint },
            deadline: DateTime.UtcNow.AddSeconds(60));
        Assert.True(reply.Ok);
        removed.Kill();
        var remaining = cluster.Replicas.Where(r => r != removed).ToList();
        await WriteManyAsync(cluster, remaining, 30, 30);
        foreach (var replica in remaining)
            await AssertAllPresentAsync(replica, 60);
        Assert.Equal(3, (await remaining[0].Client.StatusAsync(new StatusRequest())).Members.Count);
    }
}
