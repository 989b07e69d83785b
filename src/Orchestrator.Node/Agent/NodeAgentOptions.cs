using Orchestrator.Node.Images;

namespace Orchestrator.Node.Agent;

/// <summary>How one real node agent (a kubelet) runs: its name, where it keeps state, its pod network and timings.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed record NodeAgentOptions
{
    public required string NodeName { get; init; }

    /// <summary>Absolute directory for images, containers, logs, pod volumes and network state.</summary>
    public required string RootDirectory { get; init; }

    /// <summary>This node's pod range (spec.podCIDR); the bridge gets its first address.</summary>
    public required string PodCidr { get; init; }

    public string BridgeName { get; init; } = "orch0";

    /// <summary>The address reported as InternalIP (and as each pod's hostIP).</summary>
    public string InternalIp { get; init; } = "127.0.0.1";

    /// <summary>Port of the agent's HTTPS endpoint (logs, exec, stats summary) on <see cref="InternalIp"/>; 0 picks a free one.</summary>
    public int ServerPort { get; init; }

    /// <summary>PEM file of the CA whose client certificates the endpoint accepts; null: the kubeconfig's cluster CA.</summary>
    public string? ClientCaFile { get; init; }

    /// <summary>How often CPU usage is sampled; usageNanoCores is the rate between the last two samples.</summary>
    public TimeSpan StatsSampleInterval { get; init; } = TimeSpan.FromSeconds(3);

    public RegistryOptions Registry { get; init; } = new();

    /// <summary>Cgroup parent of all pods; tests use a unique one so they see only their own.</summary>
    public string CgroupParent { get; init; } = "orchestrator";

    /// <summary>Netns name prefix; tests use a unique one.</summary>
    public string NamespacePrefix { get; init; } = "orch-";

    /// <summary>How to run the per-container shim (<see cref="Runtime.RuntimeOptions.ShimCommand"/>); null: the native shim beside this program, else this orchestrator executable.</summary>
    public IReadOnlyList<string>? ShimCommand { get; init; }

    /// <summary>
    /// What stopping the agent does to its pods. False (kubelet's way): their containers keep running and the next start
    /// cleans up and restarts them. True (`orchestrator up`, which owns its nodes): their containers are stopped within
    /// <see cref="ShutdownGracePeriod"/> and deleted, and their namespaces and the bridge removed.
    /// </summary>
    public bool StopPodsOnExit { get; init; }

    /// <summary>With <see cref="StopPodsOnExit"/>: SIGTERM to each container, SIGKILL after this long.</summary>
    public TimeSpan ShutdownGracePeriod { get; init; } = TimeSpan.FromSeconds(3);

    public string KubeletVersion { get; init; } = "v1.32.4-orchestrator";

    public int MaxPods { get; init; } = 110;

    /// <summary>How often Ready is re-posted with a fresh lastHeartbeatTime (kubelet: nodeStatusUpdateFrequency, 10 s).</summary>
    public TimeSpan StatusUpdateInterval { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan LeaseRenewInterval { get; init; } = TimeSpan.FromSeconds(10);

    public int LeaseDurationSeconds { get; init; } = 40;

    /// <summary>First restart delay of a crashed container; doubles per restart up to <see cref="MaxRestartBackoff"/>.</summary>
    public TimeSpan InitialRestartBackoff { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan MaxRestartBackoff { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Each pod is re-synced at least this often (probes, missed signals).</summary>
    public TimeSpan PodResyncInterval { get; init; } = TimeSpan.FromSeconds(2);

    public void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(NodeName);
        if (!Path.IsPathRooted(RootDirectory))
            throw new ArgumentException("the node root directory must be absolute");
        if (InitialRestartBackoff <= TimeSpan.Zero || MaxRestartBackoff < InitialRestartBackoff)
            throw new ArgumentException("restart back-off must be positive and at most its maximum");
    }
}
