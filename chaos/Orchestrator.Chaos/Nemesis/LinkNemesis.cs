using System.Text.Json.Nodes;
using Orchestrator.Chaos.Proxy;
using Orchestrator.Testing;

namespace Orchestrator.Chaos.Nemesis;

/// <summary>
/// Faults on the links between replicas, through the fault proxy's toxics: a replica (random or the leader) whose
/// links go silent both ways (Toxiproxy's timeout toxic: a partition that keeps connections open and drops their
/// bytes), every link slowed (latency with jitter), a replica whose connections are reset soon after they open, the
/// leader's links starved of bandwidth; and a share of all peer packets dropped (iptables' statistic match).
/// </summary>
public sealed class LinkNemesis(PeerLinks links, ChaosNetwork network, ApiCluster cluster, Random random)
{
    public static readonly string[] Kinds = ["blackhole", "blackhole-leader", "delay", "loss", "reset", "bandwidth-leader"];

    public async Task<Fault> StartAsync(string kind, CancellationToken token)
    {
        switch (kind)
        {
            case "blackhole" or "blackhole-leader":
            {
                var victim = (await Victims.ChooseAsync(cluster, random, kind == "blackhole-leader")).Ordinal;
                Poison(links.Of(victim), "timeout", new JsonObject { ["timeout"] = 0 });
                return Healed(kind, $"replica-{victim} silenced");
            }
            case "delay":
                Poison(links.Of(null), "latency", new JsonObject { ["latency"] = 40, ["jitter"] = 30 });
                return Healed(kind, "every link +40±30 ms each way");
            case "reset":
            {
                var victim = (await Victims.ChooseAsync(cluster, random, leader: false)).Ordinal;
                Poison(links.Of(victim), "reset_peer", new JsonObject { ["timeout"] = 300 });
                return Healed(kind, $"replica-{victim} links reset after 300 ms");
            }
            case "bandwidth-leader":
            {
                var victim = (await Victims.ChooseAsync(cluster, random, leader: true)).Ordinal;
                Poison(links.Of(victim), "bandwidth", new JsonObject { ["rate"] = 16 });
                return Healed(kind, $"replica-{victim} links at 16 KB/s");
            }
            case "loss":
                await network.LoseAsync(0.2, token);
                return new Fault(kind, "20% of peer packets dropped", network.HealAsync);
            default:
                throw new ArgumentException($"unknown fault {kind}; known: {string.Join(", ", Kinds)}");
        }
    }

    private static void Poison(IEnumerable<ToxicProxy> proxies, string type, JsonObject attributes)
    {
        foreach (var proxy in proxies)
        {
            foreach (var stream in new[] { "upstream", "downstream" })
                proxy.AddToxic(Toxic.FromJson(new JsonObject { ["type"] = type, ["stream"] = stream, ["attributes"] = attributes.DeepClone() }));
        }
    }

    private Fault Healed(string kind, string target) => new(kind, target, _ =>
    {
        links.RemoveAllToxics();
        return Task.CompletedTask;
    });
}
