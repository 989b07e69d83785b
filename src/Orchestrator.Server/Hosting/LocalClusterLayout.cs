using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Orchestrator.Server.Hosting;

/// <summary>
/// Where the replicas of a local cluster listen and keep their data. Saved in DIR/cluster.json on first
/// start and reused after, because a replica's Raft endpoint is its identity in its own log.
/// </summary>
public sealed record LocalClusterLayout(IReadOnlyList<LocalReplica> Replicas)
{
    private const string FileName = "cluster.json";

    public static LocalClusterLayout LoadOrCreate(string dataDirectory, int replicas)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (File.Exists(path))
        {
            var existing = JsonSerializer.Deserialize<LocalClusterLayout>(File.ReadAllText(path))
                ?? throw new InvalidDataException($"{path} is empty.");
            if (existing.Replicas.Count != replicas)
                throw new ArgumentException($"{dataDirectory} holds a cluster of {existing.Replicas.Count} replicas; use --replicas {existing.Replicas.Count} or another --data.");
            return existing;
        }
        Directory.CreateDirectory(dataDirectory);
        var layout = new LocalClusterLayout(Enumerable.Range(1, replicas)
            .Select(i => new LocalReplica($"replica-{i}", $"127.0.0.1:{FreePort()}", $"127.0.0.1:{FreePort()}"))
            .ToList());
        File.WriteAllText(path, JsonSerializer.Serialize(layout, new JsonSerializerOptions { WriteIndented = true }));
        return layout;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed record LocalReplica(string Name, string Raft, string Grpc);
