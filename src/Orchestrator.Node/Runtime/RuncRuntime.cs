using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Orchestrator.Node.Runtime;

/// <summary>
/// Runs containers with runc, the way a CRI runtime would but in-process: each container is a foreground
/// `runc run --keep` child whose stdout and stderr the runtime copies into a CRI-format log and whose exit
/// status is the container's. --keep leaves the stopped container (and its cgroup) in place until Delete,
/// so the OOM flag and a "previous" log can still be read after exit.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class RuncRuntime : IAsyncDisposable
{
    private readonly RuntimeOptions options;
    private readonly TimeProvider clock;
    private readonly ILogger logger;
    private readonly bool swapAccounting;
    private readonly ConcurrentDictionary<string, RuncContainer> containers = new(StringComparer.Ordinal);

    public RuncRuntime(RuntimeOptions options, TimeProvider? clock = null, ILogger<RuncRuntime>? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(options.RootDirectory);
        if (!Path.IsPathRooted(options.RootDirectory))
            throw new ArgumentException("the runtime root directory must be absolute", nameof(options));
        this.options = options;
        this.clock = clock ?? TimeProvider.System;
        this.logger = logger ?? (ILogger)NullLogger.Instance;
        swapAccounting = CgroupStats.HasSwapAccounting(options.CgroupRoot);
        Directory.CreateDirectory(options.ContainersDirectory);
        Directory.CreateDirectory(options.LogsDirectory);
        Directory.CreateDirectory(options.RuncRoot);
    }

    /// <summary>Where a container's current log file is (rotated ones carry .1, .2, ...).</summary>
    public string LogPath(string containerId) => Path.Combine(options.LogsDirectory, containerId + ".log");

    /// <summary>Builds the bundle, starts `runc run` and returns once runc reports the container process started.</summary>
    /// <exception cref="ContainerStartException">runc failed before the container's process ran.</exception>
    public async Task<ContainerStatus> CreateAndStartAsync(ContainerConfig config, CancellationToken cancellationToken)
    {
        ValidateName(config.Id, "container id");
        ValidateName(config.PodId, "pod id");
        if (containers.ContainsKey(config.Id))
            throw new InvalidOperationException($"container {config.Id} already exists");
        var bundle = Path.Combine(options.ContainersDirectory, config.Id);
        if (Directory.Exists(bundle))
            throw new InvalidOperationException($"a bundle for {config.Id} is left over; delete the container first");
        Directory.CreateDirectory(bundle);
        var cgroupPath = CgroupPath(config.PodId, config.Id);
        ContainerLogWriter? log = null;
        try
        {
            var rootfs = ContainerRootfs.Create(config.ImageRootfs, bundle, options.AllowOverlay);
            var spec = OciSpecBuilder.Build(config, rootfs.Path, cgroupPath, swapAccounting);
            await File.WriteAllTextAsync(Path.Combine(bundle, "config.json"), OciSpecBuilder.Serialize(spec), cancellationToken).ConfigureAwait(false);
            var logPath = LogPath(config.Id);
            log = new ContainerLogWriter(logPath, options.LogMaxBytes, options.LogMaxFiles, clock);
            var runc = StartRunc(bundle, config.Id);
            var container = new RuncContainer(config, bundle, cgroupPath, logPath, log, runc, clock.GetUtcNow());
            containers[config.Id] = container;
            container.Monitor = MonitorAsync(container);
            container.Pid = await WaitForStartAsync(container, cancellationToken).ConfigureAwait(false);
            Log.Started(logger, config.Id, container.Pid ?? 0, rootfs.IsOverlay);
            return container.Status();
        }
        catch (Exception) when (!containers.ContainsKey(config.Id))
        {
            // Failed before runc ran: nothing but the bundle and the log writer to undo.
            if (log is not null)
                await log.DisposeAsync().ConfigureAwait(false);
            RemoveBundle(bundle);
            throw;
        }
    }

    /// <summary>Waits for the container to exit; with runc's convention a signal gives 128 + its number.</summary>
    public Task<ContainerExit> WaitAsync(string containerId, CancellationToken cancellationToken) =>
        Get(containerId).Exited.WaitAsync(cancellationToken);

    public ContainerStatus? GetStatus(string containerId) =>
        containers.TryGetValue(containerId, out var container) ? container.Status() : null;

    public IReadOnlyList<ContainerStatus> List() => containers.Values.Select(c => c.Status()).ToArray();

    private Process StartRunc(string bundle, string id)
    {
        var info = RuncStartInfo();
        foreach (var argument in new[] { "--log", Path.Combine(bundle, "runc.log"), "--log-format", "json", "run", "--keep", "--bundle", bundle, "--pid-file", Path.Combine(bundle, "pid"), id })
            info.ArgumentList.Add(argument);
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start runc");
        // The container reads EOF on stdin, as with kubelet when stdin is not requested.
        process.StandardInput.Close();
        return process;
    }

    private ProcessStartInfo RuncStartInfo()
    {
        var info = new ProcessStartInfo(options.RuncPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("--root");
        info.ArgumentList.Add(options.RuncRoot);
        return info;
    }

    /// <summary>Copies output into the log until runc exits and records the exit; never throws.</summary>
    private async Task MonitorAsync(RuncContainer container)
    {
        var stdout = container.Log.CopyAsync(container.Runc.StandardOutput.BaseStream, "stdout", CancellationToken.None);
        var stderr = container.Log.CopyAsync(container.Runc.StandardError.BaseStream, "stderr", CancellationToken.None);
        try
        {
            await container.Runc.WaitForExitAsync().ConfigureAwait(false);
            // The pipes close when the last process of the container is gone, which with a pid namespace is its init.
            await Task.WhenAll(stdout, stderr).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Log.LogCopyFailed(logger, container.Config.Id, e);
        }
        var code = container.Runc.ExitCode;
        var oom = code == 137 && CgroupStats.WasOomKilled(options.CgroupRoot, container.CgroupPath);
        container.SetExited(new ContainerExit(code, clock.GetUtcNow(), oom));
        Log.Exited(logger, container.Config.Id, code, oom);
    }

    /// <summary>runc writes --pid-file once the container's process runs; an exit without it is a failed start.</summary>
    private async Task<int?> WaitForStartAsync(RuncContainer container, CancellationToken cancellationToken)
    {
        var pidFile = Path.Combine(container.BundleDirectory, "pid");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.StartTimeout);
        while (true)
        {
            if (File.Exists(pidFile) && int.TryParse(await File.ReadAllTextAsync(pidFile, timeout.Token).ConfigureAwait(false), out var pid))
                return pid;
            if (container.Exited.IsCompleted)
            {
                if (File.Exists(pidFile))
                    return null;
                throw new ContainerStartException(container.Config.Id, RuncError(container.BundleDirectory));
            }
            try
            {
                await Task.WhenAny(container.Exited, Task.Delay(TimeSpan.FromMilliseconds(20), clock, timeout.Token)).ConfigureAwait(false);
                timeout.Token.ThrowIfCancellationRequested();
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new ContainerStartException(container.Config.Id, $"runc did not start it within {options.StartTimeout}");
            }
        }
    }

    /// <summary>The last error runc logged (its --log file holds JSON lines with level and msg).</summary>
    private static string RuncError(string bundle)
    {
        var file = Path.Combine(bundle, "runc.log");
        if (!File.Exists(file))
            return "runc exited without starting it";
        var message = "runc exited without starting it";
        foreach (var line in File.ReadLines(file))
        {
            try
            {
                using var json = JsonDocument.Parse(line);
                if (json.RootElement.TryGetProperty("level", out var level) && level.GetString() is "error" or "fatal"
                    && json.RootElement.TryGetProperty("msg", out var msg))
                    message = msg.GetString() ?? message;
            }
            catch (JsonException)
            {
                message = line;
            }
        }
        return message;
    }

    private string CgroupPath(string podId, string containerId) => $"/{options.CgroupParent}/{podId}/{containerId}";

    private RuncContainer Get(string containerId) =>
        containers.TryGetValue(containerId, out var container) ? container : throw new KeyNotFoundException($"no container {containerId}");

    private static void ValidateName(string value, string what)
    {
        // The id names a directory, a runc container and a cgroup: keep it to characters safe in all three.
        if (!NamePattern().IsMatch(value))
            throw new ArgumentException($"{what} '{value}' must match {NamePattern()}");
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex NamePattern();

    /// <summary>Stops (SIGKILL, no grace) and deletes every container; for agent shutdown in tests.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var id in containers.Keys.ToArray())
        {
            try
            {
                await DeleteAsync(id, removeLogs: false, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                Log.CleanupFailed(logger, id, e);
            }
        }
    }
}
