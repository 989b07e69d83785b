using Orchestrator.Testing;
using Xunit;

namespace Orchestrator.Client.Tests;

/// <summary>One 3-replica cluster per test class, with a kubeconfig-built client per replica.</summary>
public class ClusterFixture : IAsyncLifetime
{
    private ApiCluster? cluster;

    public ApiCluster Cluster => cluster ?? throw new InvalidOperationException("not started");

    /// <summary>Clients[0] talks to replica 1, and so on.</summary>
    public List<KubeClient> Clients { get; } = [];

    protected virtual int WatchWindow => 100_000;

    public async Task InitializeAsync()
    {
        cluster = await ApiCluster.StartAsync(3, WatchWindow);
        foreach (var replica in cluster.Replicas)
            Clients.Add(await KubeClient.FromKubeconfigAsync(cluster.KubeconfigPath, cluster.ContextOf(replica)));
    }

    public async Task DisposeAsync()
    {
        foreach (var client in Clients)
            client.Dispose();
        if (cluster is not null)
            await cluster.DisposeAsync();
    }
}

/// <summary>Replicas keep only 20 events for watches, so a resourceVersion goes stale after 20 writes.</summary>
public sealed class SmallWatchWindowFixture : ClusterFixture
{
    protected override int WatchWindow => 20;
}
