using System.Diagnostics;

namespace Orchestrator.Node.Runtime;

public sealed partial class RuncRuntime
{
    /// <summary>Bound on waiting for a SIGKILLed container to be reaped; only a stuck kernel exceeds it.</summary>
    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(10);

    /// <summary>Bound on a shim's own exit after its container's: it only waits for the output pipes (5 s at most) and writes a file.</summary>
    private static readonly TimeSpan ShimExitWait = TimeSpan.FromSeconds(7);

    /// <summary>
    /// Graceful termination as kubelet does it: SIGTERM to the container's init, then SIGKILL once
    /// <paramref name="gracePeriod"/> has passed. Note that an init that installs no TERM handler ignores
    /// SIGTERM (pid 1 semantics) and is killed at the end of the grace period.
    /// </summary>
    public async Task<ContainerExit> StopAsync(string containerId, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        var container = Get(containerId);
        if (container.Exited.IsCompleted)
            return await container.Exited.ConfigureAwait(false);
        if (gracePeriod > TimeSpan.Zero)
        {
            await SignalAsync(containerId, "TERM", cancellationToken).ConfigureAwait(false);
            using var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            await Task.WhenAny(container.Exited, Task.Delay(gracePeriod, clock, grace.Token)).ConfigureAwait(false);
            grace.Cancel();
            cancellationToken.ThrowIfCancellationRequested();
            if (container.Exited.IsCompleted)
                return await container.Exited.ConfigureAwait(false);
        }
        await SignalAsync(containerId, "KILL", cancellationToken).ConfigureAwait(false);
        return await container.Exited.WaitAsync(KillWait, clock, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a signal to the container's init with `runc kill`; a container that already stopped is not an error.</summary>
    public async Task SignalAsync(string containerId, string signal, CancellationToken cancellationToken)
    {
        var result = await Runc(["kill", containerId, signal], cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded && !IsGone(result))
            throw new ExternalCommandException($"runc kill {containerId} {signal}", result);
    }

    /// <summary>
    /// Removes the container: `runc delete -f` (kills it if still running and removes its cgroup), waits for
    /// its exit and its shim, unmounts the overlay, removes the bundle and, unless kept, the logs; then the pod's
    /// cgroup if this was its last container.
    /// </summary>
    public async Task DeleteAsync(string containerId, bool removeLogs, CancellationToken cancellationToken)
    {
        var container = Get(containerId);
        var result = await Runc(["delete", "-f", containerId], cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded && !IsGone(result))
            throw new ExternalCommandException($"runc delete -f {containerId}", result);
        await container.Exited.WaitAsync(KillWait, clock, cancellationToken).ConfigureAwait(false);
        await container.Monitor.ConfigureAwait(false);
        // The shim exits right after writing the exit file; it must be gone before its bundle is.
        await StopShimAsync(container.Id, container.ShimPid, container.Shim, cancellationToken).ConfigureAwait(false);
        container.Shim?.Dispose();
        RemoveBundle(container.BundleDirectory);
        if (removeLogs)
            RemoveLogs(containerId);
        CgroupStats.RemoveEmpty(options.CgroupRoot, $"/{options.CgroupParent}/{container.PodId}");
        containers.TryRemove(containerId, out _);
    }

    /// <summary>Waits (bounded) for a shim to end on its own, then kills it: a shim outliving its container has nothing left to do.</summary>
    private async Task StopShimAsync(string containerId, int? pid, Process? shim, CancellationToken cancellationToken)
    {
        if (pid is not { } shimPid)
            return;
        var deadline = clock.GetUtcNow() + ShimExitWait;
        while (shim is { } child ? !child.HasExited : ContainerShim.IsAlive(shimPid, containerId))
        {
            if (clock.GetUtcNow() > deadline)
            {
                try
                {
                    if (shim is not null)
                        shim.Kill();
                    else
                    {
                        using var target = Process.GetProcessById(shimPid);
                        target.Kill();
                    }
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException)
                {
                    // Already exited.
                }
                return;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(20), clock, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Deletes a container's log files, rotated ones included.</summary>
    public void RemoveLogs(string containerId)
    {
        var current = LogPath(containerId);
        foreach (var file in Directory.EnumerateFiles(options.LogsDirectory, Path.GetFileName(current) + "*"))
            File.Delete(file);
    }

    private static bool IsGone(CommandResult result) =>
        result.StandardError.Contains("does not exist", StringComparison.OrdinalIgnoreCase)
        || result.StandardError.Contains("not running", StringComparison.OrdinalIgnoreCase)
        || result.StandardError.Contains("process already finished", StringComparison.OrdinalIgnoreCase);

    private static void RemoveBundle(string bundle)
    {
        ContainerRootfs.Release(bundle);
        // Never recurse through a mount point: with an overlay still there we would be deleting the container's view, or worse a bind mount.
        if (MountTable.IsMountPoint(Path.Combine(bundle, "rootfs")))
            throw new IOException($"{bundle}/rootfs is still mounted");
        if (Directory.Exists(bundle))
            Directory.Delete(bundle, recursive: true);
    }

    private Task<CommandResult> Runc(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        ExternalCommand.RunAsync(options.RuncPath, new[] { "--root", options.RuncRoot }.Concat(arguments), cancellationToken);
}
