namespace Orchestrator.Node.Runtime;

public enum ContainerState
{
    Running,
    Exited,
}

/// <summary>What the runtime knows about one container (the agent turns it into a Kubernetes container status).</summary>
public sealed record ContainerStatus(
    string Id,
    string PodId,
    ContainerState State,
    int? Pid,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    int? ExitCode,
    string LogPath);

/// <summary>How a container ended. Signals show as 128 + signal number (137 for SIGKILL, as runc reports).</summary>
public sealed record ContainerExit(int ExitCode, DateTimeOffset FinishedAt, bool OomKilled);

/// <summary>Cumulative CPU time and current working set, the two numbers metrics.k8s.io serves.</summary>
public sealed record ResourceUsage(ulong CpuUsageNanoseconds, ulong MemoryWorkingSetBytes, DateTimeOffset Timestamp);
