using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.Json;

namespace Orchestrator.Server.Hosting;

/// <summary>
/// Where the replicas of a local cluster listen and keep their data, the local registry's address and the real
/// nodes' pod ranges and bridges. Saved in DIR/cluster.json on first start and reused after, because a replica's
/// Raft endpoint is its identity in its own log and a node keeps its pod range (spec.podCIDR) for good.
/// </summary>
public sealed record LocalClusterLayout(IReadOnlyList<LocalReplica> Replicas, string? Registry = null, IReadOnlyList<LocalNode>? Nodes = null)
{
    private const string FileName = "cluster.json";

    public static bool Exists(string dataDirectory) => File.Exists(Path.Combine(dataDirectory, FileName));

    public static LocalClusterLayout Load(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        var layout = JsonSerializer.Deserialize<LocalClusterLayout>(File.ReadAllText(path))
            ?? throw new InvalidDataException($"{path} is empty.");
        if (layout.Replicas.Any(r => string.IsNullOrEmpty(r.Api)))
        {
            // Made by a version without the HTTPS API: give each replica an API port, keep the rest.
            layout = layout with { Replicas = [.. layout.Replicas.Select(r => string.IsNullOrEmpty(r.Api) ? r with { Api = $"127.0.0.1:{FreePort()}" } : r)] };
            layout.Save(dataDirectory);
        }
        return layout;
    }

    public static LocalClusterLayout LoadOrCreate(string dataDirectory, int replicas)
    {
        if (Exists(dataDirectory))
        {
            var existing = Load(dataDirectory);
            if (existing.Replicas.Count != replicas)
                throw new ArgumentException($"{dataDirectory} holds a cluster of {existing.Replicas.Count} replicas; use --replicas {existing.Replicas.Count} or another --data.");
            return existing;
        }
        Directory.CreateDirectory(dataDirectory);
        var layout = new LocalClusterLayout(Enumerable.Range(1, replicas)
            .Select(i => new LocalReplica($"replica-{i}", $"127.0.0.1:{FreePort()}", $"127.0.0.1:{FreePort()}", $"127.0.0.1:{FreePort()}"))
            .ToList());
        layout.Save(dataDirectory);
        return layout;
    }

    /// <summary>
    /// The layout with a registry address and at least <paramref name="count"/> real nodes, saved when it had to grow.
    /// A new node gets the lowest slot K whose bridge orchK and range 10.88.K.0/24 nothing on this host uses yet.
    /// </summary>
    public LocalClusterLayout WithNodes(string dataDirectory, int count)
    {
        var nodes = (Nodes ?? []).ToList();
        if (Registry is not null && nodes.Count >= count)
            return this;
        var taken = HostNetworks();
        for (var slot = 1; nodes.Count < count; slot++)
        {
            if (slot > 254)
                throw new InvalidOperationException("no free pod range left in 10.88.0.0/16 for another node");
            var bridge = $"orch{slot}";
            var prefix = $"10.88.{slot}.";
            if (taken.Contains(bridge) || taken.Any(t => t.StartsWith(prefix, StringComparison.Ordinal)) || nodes.Any(n => n.Bridge == bridge))
                continue;
            nodes.Add(new LocalNode($"node-{nodes.Count + 1}", prefix + "0/24", bridge, $"orchestrator-{bridge}"));
        }
        var layout = this with { Registry = Registry ?? $"127.0.0.1:{FreePort()}", Nodes = nodes };
        layout.Save(dataDirectory);
        return layout;
    }

    /// <summary>Names and IPv4 addresses of this host's interfaces.</summary>
    private static HashSet<string> HostNetworks()
    {
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var network in NetworkInterface.GetAllNetworkInterfaces())
        {
            taken.Add(network.Name);
            foreach (var address in network.GetIPProperties().UnicastAddresses)
                taken.Add(address.Address.ToString());
        }
        return taken;
    }

    private void Save(string dataDirectory) =>
        File.WriteAllText(Path.Combine(dataDirectory, FileName), JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true }));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed record LocalReplica(string Name, string Raft, string Grpc, string Api)
{
    public Uri ApiUri => new($"https://{Api}");
}

/// <summary>
/// A real node of `up --nodes`: its name (also its directory DATA/NAME), pod range, bridge and cgroup parent. The last
/// three are unique on the host, so two local clusters (or a cluster and the tests) never share them.
/// </summary>
public sealed record LocalNode(string Name, string PodCidr, string Bridge, string CgroupParent);
