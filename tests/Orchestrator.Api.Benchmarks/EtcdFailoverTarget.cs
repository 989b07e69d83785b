using Etcdserverpb;
using Grpc.Net.Client;

namespace Orchestrator.Api.Benchmarks;

/// <summary>The etcd cluster as a failover target: 1 KiB puts, one channel per member, 5 s deadline.</summary>
internal sealed class EtcdFailoverTarget : IFailoverTarget, IDisposable
{
    private readonly EtcdCluster cluster;
    private readonly GrpcChannel[] channels;
    private readonly KV.KVClient[] clients;
    private EtcdMember? killed;

    public EtcdFailoverTarget(EtcdCluster cluster)
    {
        this.cluster = cluster;
        channels = new GrpcChannel[cluster.Members.Count];
        clients = [.. cluster.Members.Select((m, i) => EtcdLoad.NewClient(m, out channels[i]))];
    }

    public string Name => "etcd";

    public int Members => clients.Length;

    public Task WriteAsync(int member, string key, CancellationToken token) =>
        EtcdLoad.PutAsync(clients[member], $"/bench/failover/{key}", TimeSpan.FromSeconds(5), token);

    public async Task<(string Name, long KilledAt)> KillLeaderAsync(CancellationToken token)
    {
        var leader = await cluster.LeaderAsync(TimeSpan.FromSeconds(30), token);
        var at = Sigkill.Send(leader.ProcessId ?? throw new InvalidOperationException("the leader is not running"));
        leader.Kill(); // reaps it
        killed = leader;
        return (leader.Name, at);
    }

    public async Task RestartKilledAsync(CancellationToken token)
    {
        if (killed is null)
            return;
        cluster.Restart(killed);
        await cluster.LeaderAsync(TimeSpan.FromSeconds(60), token);
        killed = null;
    }

    public void Dispose()
    {
        foreach (var channel in channels)
            channel.Dispose();
    }
}
