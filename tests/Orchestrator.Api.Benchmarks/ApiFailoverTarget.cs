using Orchestrator.Client;
using Orchestrator.Testing;

namespace Orchestrator.Api.Benchmarks;

/// <summary>The API cluster as a failover target: configmap creates, one client per replica, no client retries, 5 s timeout.</summary>
internal sealed class ApiFailoverTarget : IFailoverTarget, IDisposable
{
    private const string Namespace = "bench-failover";
    private readonly ApiCluster cluster;
    private readonly List<KubeClient> clients;
    private ReplicaProcess? killed;

    private ApiFailoverTarget(ApiCluster cluster, List<KubeClient> clients)
    {
        this.cluster = cluster;
        this.clients = clients;
    }

    public string Name => "api";

    public int Members => clients.Count;

    public static async Task<ApiFailoverTarget> CreateAsync(ApiCluster cluster, Bench bench, CancellationToken token)
    {
        var options = new KubeClientOptions { RequestTimeout = TimeSpan.FromSeconds(5), MaxRetries = 0 };
        var clients = Enumerable.Range(0, bench.ReplicaCount).Select(i => bench.NewClient(i, options)).ToList();
        await Bench.CreateNamespaceAsync(clients[0], Namespace, token);
        return new ApiFailoverTarget(cluster, clients);
    }

    public Task WriteAsync(int member, string key, CancellationToken token) =>
        clients[member].CreateAsync(ApiResource.ConfigMaps, Namespace, Bench.ConfigMap(Namespace, key, key), token: token);

    public async Task<(string Name, long KilledAt)> KillLeaderAsync(CancellationToken token)
    {
        var leader = await cluster.LeaderAsync();
        var at = Sigkill.Send(leader.ProcessId ?? throw new InvalidOperationException("the leader is not running"));
        leader.Kill(); // reaps it
        killed = leader;
        return ($"replica-{leader.Ordinal}", at);
    }

    public async Task RestartKilledAsync(CancellationToken token)
    {
        if (killed is null)
            return;
        cluster.Restart(killed);
        await cluster.WaitReadyAsync(cluster.Replicas);
        await cluster.LeaderAsync();
        killed = null;
    }

    public void Dispose()
    {
        foreach (var client in clients)
            client.Dispose();
    }
}
