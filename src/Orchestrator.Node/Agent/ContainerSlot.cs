using System.Text.Json.Nodes;
using Orchestrator.Node.Runtime;

namespace Orchestrator.Node.Agent;

/// <summary>The agent's memory of one container of a pod across its restarts; what containerStatuses are made from.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class ContainerSlot(string name, string image)
{
    public string Name { get; } = name;

    public string Image { get; } = image;

    public string ImageId { get; set; } = "";

    /// <summary>The runtime container now existing (running, or exited and not yet deleted); null between runs.</summary>
    public string? RuntimeId { get; set; }

    /// <summary>The runtime id last run, for containerID in status and for log cleanup.</summary>
    public string? LastRuntimeId { get; set; }

    public Task<ContainerExit>? Exit { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public int RestartCount { get; set; }

    /// <summary>How many runtime containers this agent made for the slot, so every one gets a fresh id.</summary>
    public int Attempts { get; set; }

    /// <summary>The terminated state of the last run; shown as state when done, else as lastState.</summary>
    public JsonObject? LastTermination { get; set; }

    public string? WaitingReason { get; set; }

    public string? WaitingMessage { get; set; }

    /// <summary>No start before this (crash and pull back-off).</summary>
    public DateTimeOffset NextStart { get; set; }

    /// <summary>Consecutive failures (crashes or pulls) feeding the doubling back-off.</summary>
    public int Failures { get; set; }

    /// <summary>It exited and the restart policy says it stays down.</summary>
    public bool Done { get; set; }

    public int? DoneExitCode => Done ? (int?)LastTermination?["exitCode"]?.GetValue<int>() : null;

    /// <summary>The readiness probe's verdict (true without one); counts only once the container has started.</summary>
    public bool Ready { get; set; }

    /// <summary>The startup probe succeeded, or there is none.</summary>
    public bool Started { get; set; }

    /// <summary>A failed startup or liveness probe sent SIGTERM: SIGKILL is due then (MaxValue once sent).</summary>
    public DateTimeOffset? KillAt { get; set; }

    public bool IsRunning => RuntimeId is not null && Exit is { IsCompleted: false };

    public bool IsReady => IsRunning && Started && Ready;

    /// <summary>Wait before the next image pull: initial, doubling per failure, at most max.</summary>
    public TimeSpan Backoff(TimeSpan initial, TimeSpan max) => Doubling(initial, max, Failures);

    /// <summary>
    /// Wait before restarting an exited container, as kubelet's crash back-off: none after the first exit (nothing is
    /// in back-off yet), then initial, doubling per further exit, at most max.
    /// </summary>
    public TimeSpan RestartDelay(TimeSpan initial, TimeSpan max) => Failures == 0 ? TimeSpan.Zero : Doubling(initial, max, Failures - 1);

    private static TimeSpan Doubling(TimeSpan initial, TimeSpan max, int failures)
    {
        var delay = initial * Math.Pow(2, Math.Min(failures, 20));
        return delay > max ? max : delay;
    }
}
