using Orchestrator.Testing;

namespace Orchestrator.Chaos.Nemesis;

/// <summary>
/// Faults on replica processes: kill -9 (the leader or a random replica; restarted on heal with the same data), a
/// whole-cluster crash (every replica killed at once, then all restarted), and SIGSTOP pauses (the leader or a
/// random replica, SIGCONT on heal).
/// </summary>
public sealed class ProcessNemesis(ApiCluster cluster, Random random)
{
    public static readonly string[] Kinds = ["kill", "kill-leader", "crash-all", "pause", "pause-leader"];

    public async Task<Fault> StartAsync(string kind, CancellationToken token)
    {
        switch (kind)
        {
            case "kill" or "kill-leader":
            {
                var victim = await VictimAsync(kind == "kill-leader", token);
                victim.Kill();
                return new Fault(kind, Name(victim), _ =>
                {
                    cluster.Restart(victim);
                    return Task.CompletedTask;
                });
            }
            case "crash-all":
                foreach (var replica in cluster.Replicas)
                    replica.Kill();
                return new Fault(kind, "all", _ =>
                {
                    foreach (var replica in cluster.Replicas)
                        cluster.Restart(replica);
                    return Task.CompletedTask;
                });
            case "pause" or "pause-leader":
            {
                var victim = await VictimAsync(kind == "pause-leader", token);
                var pid = victim.ProcessId ?? throw new InvalidOperationException($"{Name(victim)} is not running");
                Signals.Stop(pid);
                return new Fault(kind, Name(victim), _ =>
                {
                    Signals.Continue(pid);
                    return Task.CompletedTask;
                });
            }
            default:
                throw new ArgumentException($"unknown fault {kind}; known: {string.Join(", ", Kinds)}");
        }
    }

    private async Task<ReplicaProcess> VictimAsync(bool leader, CancellationToken token)
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

    private static string Name(ReplicaProcess replica) => $"replica-{replica.Ordinal}";
}
