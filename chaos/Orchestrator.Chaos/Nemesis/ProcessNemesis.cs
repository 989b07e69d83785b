using Grpc.Core;
using Orchestrator.Storage.Replication.Grpc;
using Orchestrator.Testing;

namespace Orchestrator.Chaos.Nemesis;

/// <summary>
/// Faults on replica processes: kill -9 (the leader or a random replica; restarted on heal with the same data), a
/// whole-cluster crash (every replica killed at once, then all restarted), and SIGSTOP pauses (the leader or a
/// random replica, SIGCONT on heal), and membership: a replica wiped (killed, removed from the cluster, its data
/// deleted; on heal started empty and added back) or removed while running and added back empty on heal.
/// </summary>
public sealed class ProcessNemesis(ApiCluster cluster, Random random)
{
    public static readonly string[] Kinds = ["kill", "kill-leader", "crash-all", "pause", "pause-leader", "wipe", "membership"];

    public async Task<Fault> StartAsync(string kind, CancellationToken token)
    {
        switch (kind)
        {
            case "kill" or "kill-leader":
            {
                var victim = await Victims.ChooseAsync(cluster, random, kind == "kill-leader");
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
                var victim = await Victims.ChooseAsync(cluster, random, kind == "pause-leader");
                var pid = victim.ProcessId ?? throw new InvalidOperationException($"{Name(victim)} is not running");
                Signals.Stop(pid);
                return new Fault(kind, Name(victim), _ =>
                {
                    Signals.Continue(pid);
                    return Task.CompletedTask;
                });
            }
            case "wipe" or "membership":
            {
                // A follower: removing the leader works too, but then the fault is mostly the election it causes.
                var leader = await cluster.LeaderAsync(TimeSpan.FromSeconds(30));
                var others = cluster.Replicas.Where(r => r != leader).ToList();
                var victim = others[random.Next(others.Count)];
                if (kind == "wipe")
                    victim.Kill();
                await ChangeMemberAsync(victim, add: false, token);
                victim.Kill();
                Directory.Delete(victim.DataDirectory, recursive: true);
                return new Fault(kind, Name(victim), async healToken =>
                {
                    cluster.RestartJoining(victim);
                    await ChangeMemberAsync(victim, add: true, healToken);
                });
            }
            default:
                throw new ArgumentException($"unknown fault {kind}; known: {string.Join(", ", Kinds)}");
        }
    }

    /// <summary>Asks the running replicas (any forwards to the leader) to add or remove one, until one says done.</summary>
    private async Task ChangeMemberAsync(ReplicaProcess member, bool add, CancellationToken token)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        var request = new MemberRequest { RaftEndpoint = member.RaftEndpoint };
        for (var attempt = 0; DateTime.UtcNow < deadline; attempt++)
        {
            var via = cluster.Replicas.Where(r => r != member && r.IsRunning).ToList();
            try
            {
                var reply = add
                    ? await via[attempt % via.Count].Client.AddMemberAsync(request, deadline: DateTime.UtcNow.AddSeconds(40), cancellationToken: token)
                    : await via[attempt % via.Count].Client.RemoveMemberAsync(request, deadline: DateTime.UtcNow.AddSeconds(40), cancellationToken: token);
                if (reply.Ok)
                    return;
            }
            catch (RpcException)
            {
                // No leader yet, or the joining replica not listening yet: again.
            }
            await Task.Delay(500, token);
        }
        throw new TimeoutException($"{(add ? "adding" : "removing")} {Name(member)} did not succeed within 90 s");
    }

    private static string Name(ReplicaProcess replica) => $"replica-{replica.Ordinal}";
}
