using System.Diagnostics;

namespace Orchestrator.Node.Runtime;

/// <summary>
/// One container the runtime watches: started here (its shim is our child process) or adopted from an earlier
/// runtime (only the shim's pid is known). The exit comes from the shim's exit file.
/// </summary>
internal sealed class RuncContainer
{
    private readonly TaskCompletionSource<ContainerExit> exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RuncContainer(string id, string podId, string bundleDirectory, string cgroupPath, string logPath, DateTimeOffset startedAt)
    {
        Id = id;
        PodId = podId;
        BundleDirectory = bundleDirectory;
        CgroupPath = cgroupPath;
        LogPath = logPath;
        StartedAt = startedAt;
    }

    public string Id { get; }
    public string PodId { get; }
    public string BundleDirectory { get; }
    public string CgroupPath { get; }
    public string LogPath { get; }
    public DateTimeOffset StartedAt { get; }
    public int? Pid { get; set; }

    /// <summary>The shim when this runtime started it (so it is reaped here); null for an adopted one.</summary>
    public Process? Shim { get; set; }

    public int? ShimPid { get; set; }

    /// <summary>Completes once the shim recorded the exit (output is then in the log), or died without doing so.</summary>
    public Task<ContainerExit> Exited => exited.Task;

    public Task Monitor { get; set; } = Task.CompletedTask;

    public void SetExited(ContainerExit exit) => exited.TrySetResult(exit);

    public bool ShimAlive()
    {
        if (Shim is { } shim)
            return !shim.HasExited;
        if (ShimPid is not { } pid)
        {
            var file = Path.Combine(BundleDirectory, ContainerShim.PidFile);
            if (!File.Exists(file) || !int.TryParse(File.ReadAllText(file), out var read))
                return false;
            ShimPid = pid = read;
        }
        return ContainerShim.IsAlive(pid, Id);
    }

    public ContainerStatus Status()
    {
        var exit = Exited.IsCompletedSuccessfully ? Exited.Result : null;
        return new ContainerStatus(Id, PodId, exit is null ? ContainerState.Running : ContainerState.Exited,
            Pid, StartedAt, exit?.FinishedAt, exit?.ExitCode, LogPath);
    }
}
