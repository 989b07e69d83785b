namespace Orchestrator.Node.Simulated;

/// <summary>What simulated nodes offer and how they behave; the defaults match a small kwok node.</summary>
public sealed record SimulatedNodeOptions
{
    /// <summary>Nodes are named "{NamePrefix}-{index}".</summary>
    public string NamePrefix { get; init; } = "sim";

    public string Cpu { get; init; } = "8";

    public string Memory { get; init; } = "32Gi";

    public string Pods { get; init; } = "110";

    /// <summary>Extra labels on every node.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>How often each node renews its Lease (kubelet: every 10 s, a quarter of the 40 s lease).</summary>
    public TimeSpan LeaseRenewInterval { get; init; } = TimeSpan.FromSeconds(10);

    public int LeaseDurationSeconds { get; init; } = 40;

    /// <summary>How long a pod marked for deletion "terminates" before it is removed.</summary>
    public TimeSpan TerminationDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long a pod with restartPolicy Never or OnFailure (a job's) "runs" before it exits.</summary>
    public TimeSpan RunDuration { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Concurrent API requests for registration, lease renewals and pod status updates (each).</summary>
    public int Parallelism { get; init; } = 16;

    public string KubeletVersion { get; init; } = "v1.32.4-sim";
}
