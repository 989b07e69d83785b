namespace Orchestrator.Node.Runtime;

public sealed partial class RuncRuntime
{
    /// <summary>CPU and working set of one container from its cgroup; null once the cgroup is gone.</summary>
    public Task<ResourceUsage?> GetStatsAsync(string containerId, CancellationToken cancellationToken) =>
        CgroupStats.ReadAsync(options.CgroupRoot, Get(containerId).CgroupPath, clock, cancellationToken);

    /// <summary>Usage of all containers of a pod together, read from the pod's cgroup (which parents theirs).</summary>
    public Task<ResourceUsage?> GetPodStatsAsync(string podId, CancellationToken cancellationToken) =>
        CgroupStats.ReadAsync(options.CgroupRoot, $"/{options.CgroupParent}/{podId}", clock, cancellationToken);

    /// <summary>Whole-node usage from /proc.</summary>
    public Task<ResourceUsage> GetNodeStatsAsync(CancellationToken cancellationToken) =>
        NodeStats.ReadAsync(clock, cancellationToken);
}
