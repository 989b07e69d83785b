using System.Diagnostics;

namespace Orchestrator.Node.Runtime;

/// <summary>One container the runtime started: its foreground `runc run` process, log copiers and exit.</summary>
internal sealed class RuncContainer
{
    private readonly TaskCompletionSource<ContainerExit> exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RuncContainer(ContainerConfig config, string bundleDirectory, string cgroupPath, string logPath, ContainerLogWriter log, Process runc, DateTimeOffset startedAt)
    {
        Config = config;
        BundleDirectory = bundleDirectory;
        CgroupPath = cgroupPath;
        LogPath = logPath;
        Log = log;
        Runc = runc;
        StartedAt = startedAt;
    }

    public ContainerConfig Config { get; }
    public string BundleDirectory { get; }
    public string CgroupPath { get; }
    public string LogPath { get; }
    public ContainerLogWriter Log { get; }
    public Process Runc { get; }
    public DateTimeOffset StartedAt { get; }
    public int? Pid { get; set; }

    /// <summary>Completes once runc has exited and both output streams are in the log.</summary>
    public Task<ContainerExit> Exited => exited.Task;

    public Task Monitor { get; set; } = Task.CompletedTask;

    public void SetExited(ContainerExit exit) => exited.TrySetResult(exit);

    public ContainerStatus Status()
    {
        var exit = Exited.IsCompletedSuccessfully ? Exited.Result : null;
        return new ContainerStatus(Config.Id, Config.PodId, exit is null ? ContainerState.Running : ContainerState.Exited,
            Pid, StartedAt, exit?.FinishedAt, exit?.ExitCode, LogPath);
    }
}
