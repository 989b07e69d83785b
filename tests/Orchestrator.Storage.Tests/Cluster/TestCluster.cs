using Orchestrator.Testing;
using System.Diagnostics;
using System.Text;
using Google.Protobuf;
using Grpc.Core;
using Orchestrator.Storage.Commands;
using Orchestrator.Storage.Replication.Grpc;

namespace Orchestrator.Storage.Tests.Cluster;

/// <summary>
/// A cluster of real replica processes on free 127.0.0.1 ports, each with its own data directory under
/// one temporary folder; everything is killed and deleted on dispose.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    private readonly string root;
    private readonly long snapshotEvery;
    private readonly int watchWindow;

    private TestCluster(int size, long snapshotEvery, int watchWindow)
    {
        root = Path.Combine(Path.GetTempPath(), "orchestrator-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        this.snapshotEvery = snapshotEvery;
        this.watchWindow = watchWindow;
        for (var i = 0; i < size; i++)
            Replicas.Add(NewReplica(i + 1));
    }

    public List<ReplicaProcess> Replicas { get; } = new();

    public IEnumerable<string> Peers => Replicas.Select(r => r.RaftEndpoint);

    public static async Task<TestCluster> StartAsync(int size, long snapshotEvery = 50_000, int watchWindow = 100_000)
    {
        var cluster = new TestCluster(size, snapshotEvery, watchWindow);
        try
        {
            foreach (var replica in cluster.Replicas)
                cluster.Start(replica);
            await cluster.WaitForLeaderAsync(cluster.Replicas);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public ReplicaProcess NewReplica(int ordinal) =>
        new(ordinal, Path.Combine(root, $"replica-{ordinal}"), FreePorts.Next(), FreePorts.Next(), FreePorts.Next(), Path.Combine(root, "pki"));

    public void Start(ReplicaProcess replica, bool join = false) =>
        replica.Start(Peers, join, snapshotEvery, watchWindow);

    /// <summary>Restarts a killed replica on the same ports and data.</summary>
    public void Restart(ReplicaProcess replica) => Start(replica);

    /// <summary>Waits until every given replica reports the same leader, and returns that leader.</summary>
    public async Task<ReplicaProcess> WaitForLeaderAsync(IReadOnlyCollection<ReplicaProcess> replicas, TimeSpan? timeout = null)
    {
        ReplicaProcess? leader = null;
        await Eventually.HoldsAsync(async () =>
        {
            var leaders = new HashSet<string>();
            foreach (var replica in replicas)
            {
                var status = await replica.Client.StatusAsync(new StatusRequest(), deadline: DateTime.UtcNow.AddSeconds(2));
                leaders.Add(status.Leader);
            }
            var name = leaders.Single();
            leader = Replicas.FirstOrDefault(r => r.RaftEndpoint == name);
            return leader is not null && replicas.Contains(leader);
        }, timeout ?? TimeSpan.FromSeconds(30), () => string.Join("\n", replicas.Select(r => $"--- replica {r.Ordinal}\n{r.Output}")));
        return leader!;
    }

    public async Task<ReplicaProcess> LeaderAsync() => await WaitForLeaderAsync(Replicas.Where(r => r.IsRunning).ToList());

    public static async Task<ProposeResponse> ProposeAsync(ReplicaProcess replica, StoreCommand command) =>
        await replica.Client.ProposeAsync(new ProposeRequest { Command = ByteString.CopyFrom(command.Encode()) },
            deadline: DateTime.UtcNow.AddSeconds(20));

    public static Task<ProposeResponse> PutAsync(ReplicaProcess replica, string key, string value) =>
        ProposeAsync(replica, StoreCommand.Create(key, Encoding.UTF8.GetBytes(value)));

    public static async Task<string?> GetAsync(ReplicaProcess replica, string key, bool local = false)
    {
        var reply = await replica.Client.GetAsync(new GetRequest { Key = key, Local = local }, deadline: DateTime.UtcNow.AddSeconds(20));
        return reply.Kv is null ? null : reply.Kv.Value.ToStringUtf8();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in Replicas)
            await replica.DisposeAsync();
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
