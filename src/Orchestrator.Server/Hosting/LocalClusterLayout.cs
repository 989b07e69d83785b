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

    public static bool Exists(string dataDirectory) => File.Exists(Path.Combine(dataDirectory, FileName));

    public static LocalClusterLayout Load(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        var layout = JsonSerializer.Deserialize<LocalClusterLayout>(File.ReadAllText(path))
            ?? throw new InvalidDataException($"{path} is empty.");
        if (layout.Replicas.Any(r => string.IsNullOrEmpty(r.Api)))
        {
            // Made by a version without the HTTPS API: give each replica an API port, keep the rest.
            layout = new LocalClusterLayout([.. layout.Replicas.Select(r => string.IsNullOrEmpty(r.Api) ? r with { Api = $"127.0.0.1:{FreePort()}" } : r)]);
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
