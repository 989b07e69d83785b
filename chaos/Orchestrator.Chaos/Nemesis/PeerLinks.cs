using System.Net;
using Orchestrator.Chaos.Proxy;
using Orchestrator.Testing;

namespace Orchestrator.Chaos.Nemesis;

/// <summary>
/// Every connection one replica opens to another (Raft, and the gRPC port writes are forwarded over) runs through a
/// proxy of its own, named "rI-rJ-raft" / "rI-rJ-grpc" for connections I opens to J, so a fault can hit one replica's
/// links, the leader's, or all, in either direction. The replicas need no change: NAT in each one's namespace sends
/// its peer connections to the proxy.
/// </summary>
public sealed class PeerLinks
{
    private readonly List<(int From, int To, ToxicProxy Proxy)> links = [];

    private PeerLinks(ProxyServer server) => Server = server;

    /// <summary>The proxy server, whose Toxiproxy API a person may drive during a run.</summary>
    public ProxyServer Server { get; }

    public static async Task<PeerLinks> RouteAsync(ProxyServer server, ChaosNetwork network, ApiCluster cluster, CancellationToken token)
    {
        var routed = new PeerLinks(server);
        foreach (var from in cluster.Replicas)
        {
            foreach (var to in cluster.Replicas.Where(r => r != from))
            {
                foreach (var (port, endpoint) in new[] { ("raft", to.RaftEndpoint), ("grpc", to.GrpcEndpoint) })
                {
                    var proxy = server.Create($"r{from.Ordinal}-r{to.Ordinal}-{port}", $"{network.ProxyAddress}:0", endpoint);
                    await network.RouteAsync(from.Ordinal, to.Ordinal, IPEndPoint.Parse(endpoint).Port, IPEndPoint.Parse(proxy.Listen).Port, token);
                    routed.links.Add((from.Ordinal, to.Ordinal, proxy));
                }
            }
        }
        return routed;
    }

    /// <summary>The proxies of every link to or from <paramref name="replica"/>, or of all links when null.</summary>
    public IEnumerable<ToxicProxy> Of(int? replica) =>
        links.Where(l => replica is null || l.From == replica || l.To == replica).Select(l => l.Proxy);

    /// <summary>Links that leave <paramref name="replica"/> (it opened them).</summary>
    public IEnumerable<ToxicProxy> From(int replica) => links.Where(l => l.From == replica).Select(l => l.Proxy);

    /// <summary>The proxy of the connections <paramref name="from"/> opens to <paramref name="to"/>'s "raft" or "grpc" port.</summary>
    public ToxicProxy Link(int from, int to, string port) =>
        links.Single(l => l.From == from && l.To == to && l.Proxy.Name.EndsWith($"-{port}", StringComparison.Ordinal)).Proxy;

    public void RemoveAllToxics()
    {
        foreach (var (_, _, proxy) in links)
            proxy.RemoveAllToxics();
    }
}
