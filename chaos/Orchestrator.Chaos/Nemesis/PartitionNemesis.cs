using Orchestrator.Testing;

namespace Orchestrator.Chaos.Nemesis;

/// <summary>
/// Network partitions between replicas, as packet drops in their namespaces: one replica isolated (random or the
/// leader), a random minority cut from the majority, a bridge (two sides that only one replica hears both of), and a
/// ring of majorities (each replica hears only its neighbours; with three replicas, the bridge). Clients still reach
/// every replica, as clients of a real cluster reach the side they are on.
/// </summary>
public sealed class PartitionNemesis(ChaosNetwork network, ApiCluster cluster, Random random)
{
    public static readonly string[] Kinds = ["partition", "partition-leader", "partition-halves", "partition-bridge", "partition-ring"];

    public async Task<Fault> StartAsync(string kind, CancellationToken token)
    {
        var n = cluster.Replicas.Count;
        var order = Enumerable.Range(1, n).OrderBy(_ => random.Next()).ToArray();
        (Func<int, int, bool> Connected, string Target) plan;
        switch (kind)
        {
            case "partition":
                plan = Isolate(order[0]);
                break;
            case "partition-leader":
                plan = Isolate((await Victims.ChooseAsync(cluster, random, leader: true)).Ordinal);
                break;
            case "partition-halves":
            {
                var minority = order.Take((n - 1) / 2).ToHashSet();
                plan = ((i, j) => minority.Contains(i) == minority.Contains(j), $"{{{string.Join(",", minority.Order())}}} | rest");
                break;
            }
            case "partition-bridge" or "partition-ring" when n <= 4 || kind == "partition-bridge":
            {
                // Sides A and B hear only themselves and the bridge replica.
                var bridge = order[0];
                var sideA = order.Skip(1).Take((n - 1) / 2).ToHashSet();
                plan = ((i, j) => i == bridge || j == bridge || sideA.Contains(i) == sideA.Contains(j),
                    $"bridge {bridge} between {{{string.Join(",", sideA.Order())}}} and the rest");
                break;
            }
            case "partition-ring":
            {
                var position = order.Select((replica, at) => (replica, at)).ToDictionary(x => x.replica, x => x.at);
                plan = ((i, j) => Math.Abs(position[i] - position[j]) is 1 || Math.Abs(position[i] - position[j]) == n - 1,
                    $"ring {string.Join("-", order)}");
                break;
            }
            default:
                throw new ArgumentException($"unknown fault {kind}; known: {string.Join(", ", Kinds)}");
        }
        await network.CutAsync(plan.Connected, token);
        return new Fault(kind, plan.Target, network.HealAsync);
    }

    private static (Func<int, int, bool>, string) Isolate(int replica) =>
        ((i, j) => i != replica && j != replica, $"replica-{replica} isolated");
}
