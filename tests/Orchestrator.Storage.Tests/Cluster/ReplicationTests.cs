using Orchestrator.Testing;
using Orchestrator.Storage.Commands;
using Xunit;

namespace Orchestrator.Storage.Tests.Cluster;

public sealed class ReplicationTests
{
    [Fact]
    public async Task WriteThroughAnyReplicaIsReadableOnEveryReplica()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        foreach (var writer in cluster.Replicas)
        {
            var key = $"/registry/core/configmaps/default/from-{writer.Ordinal}";
            var reply = await TestCluster.PutAsync(writer, key, $"value-{writer.Ordinal}");
            Assert.Equal((int)CommandOutcome.Ok, reply.Outcome);
            // Read-your-writes on the replica that took the write, without a read barrier.
            Assert.Equal($"value-{writer.Ordinal}", await TestCluster.GetAsync(writer, key, local: true));
            foreach (var reader in cluster.Replicas)
                Assert.Equal($"value-{writer.Ordinal}", await TestCluster.GetAsync(reader, key));
        }
    }
}
