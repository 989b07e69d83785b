using Orchestrator.Testing;

namespace Orchestrator.Chaos.Nemesis;

/// <summary>Whom a fault hits: the replica every running replica names leader, or a random one.</summary>
internal static class Victims
{
    /// <summary>The leader when <paramref name="leader"/> and one is found within 10 s; otherwise any replica.</summary>
    public static async Task<ReplicaProcess> ChooseAsync(ApiCluster cluster, Random random, bool leader)
    {
        if (leader)
        {
            try
            {
                return await cluster.LeaderAsync(TimeSpan.FromSeconds(10));
            }
            catch (TimeoutException)
            {
                // No leader to find right now: any replica will do.
            }
        }
        return cluster.Replicas[random.Next(cluster.Replicas.Count)];
    }
}
