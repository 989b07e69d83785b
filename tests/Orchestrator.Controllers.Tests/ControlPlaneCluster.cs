using Orchestrator.Client;
using Orchestrator.Testing;

namespace Orchestrator.Controllers.Tests;

/// <summary>
/// A 3-replica cluster with control-plane timings shortened for tests (lease 3 s, renew deadline 2 s,
/// retry 0.5 s; nodes unreachable after 4 s, pods evicted 2 s later) and a typed client per replica.
/// </summary>
public sealed class ControlPlaneCluster : IAsyncLifetime
{
    public static readonly IReadOnlyList<string> FastControlPlane =
    [
        "--leader-elect-lease-duration", "3",
        "--leader-elect-renew-deadline", "2",
        "--leader-elect-retry-period", "0.5",
        "--node-monitor-grace-period", "4",
        "--default-toleration-seconds", "2",
    ];

    /// <summary>Fast leases, but nodes are never judged unreachable: for tests whose nodes have no lease to renew.</summary>
    public static readonly IReadOnlyList<string> WithoutNodeMonitoring =
    [
        "--leader-elect-lease-duration", "3",
        "--leader-elect-renew-deadline", "2",
        "--leader-elect-retry-period", "0.5",
        "--node-monitor-grace-period", "3600",
    ];

    private readonly List<KubeClient> clients = [];

    private readonly IReadOnlyList<string> serverArgs;

    /// <summary>The fast control plane; xunit class fixtures need exactly one public, parameterless constructor.</summary>
    public ControlPlaneCluster()
        : this(FastControlPlane)
    {
    }

    internal ControlPlaneCluster(IReadOnlyList<string> serverArgs) => this.serverArgs = serverArgs;

    public ApiCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cluster = await ApiCluster.StartAsync(3, serverArgs: serverArgs);
        foreach (var replica in Cluster.Replicas)
            clients.Add(await KubeClient.FromKubeconfigAsync(Cluster.KubeconfigPath, Cluster.ContextOf(replica)));
    }

    public async Task DisposeAsync()
    {
        foreach (var client in clients)
            client.Dispose();
        if (Cluster is not null)
            await Cluster.DisposeAsync();
    }

    /// <summary>The client of replica 1, 2 or 3.</summary>
    public KubeClient Client(int replica) => clients[replica - 1];

    public KubeClient ClientOf(ReplicaProcess replica) => clients[replica.Ordinal - 1];
}
