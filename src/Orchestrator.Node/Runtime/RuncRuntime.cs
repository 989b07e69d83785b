using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Orchestrator.Node.Runtime;

/// <summary>
/// Runs containers with runc, the way a CRI runtime would: each container is a foreground `runc run --keep`
/// under a shim process of its own session (<see cref="ContainerShim"/>) that copies its stdout and stderr into a
/// CRI-format log and records its exit in the bundle, so containers outlive this object and the agent; a later
/// runtime on the same root adopts them (RuncRuntime.Adopt.cs). --keep leaves the stopped container (and its
/// cgroup) in place until Delete, so the OOM flag and a "previous" log can still be read after exit.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class RuncRuntime : IAsyncDisposable
{
    private readonly RuntimeOptions options;
    private readonly TimeProvider clock;
    private readonly ILogger logger;
    private readonly bool swapAccounting;
    private readonly ConcurrentDictionary<string, RuncContainer> containers = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource watching = new();

    /// <summary>The bundle's record of a container (<see cref="ContainerRecord"/>).</summary>
    internal static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    /// <summary>How often a container's exit file is looked for: the delay between an exit and its report.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The container's id, pod and start time in its bundle, for a runtime that adopts it.</summary>
    private const string RecordFile = "container.json";

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

    /// <summary>Builds the bundle, starts the container's shim (which runs `runc run`) and returns once the container's process started.</summary>
    /// <exception cref="ContainerStartException">runc failed before the container's process ran.</exception>
    public async Task<ContainerStatus> CreateAndStartAsync(ContainerConfig config, CancellationToken cancellationToken)
    {
        ValidateName(config.Id, "container id");
        ValidateName(config.PodId, "pod id");
        if (containers.ContainsKey(config.Id))
            throw new InvalidOperationException($"container {config.Id} already exists");
        var shimCommand = options.ResolveShimCommand();
        var bundle = Path.Combine(options.ContainersDirectory, config.Id);
        if (Directory.Exists(bundle))
            throw new InvalidOperationException($"a bundle for {config.Id} is left over; delete the container first");
        Directory.CreateDirectory(bundle);
        var cgroupPath = CgroupPath(config.PodId, config.Id);
        try
        {
            var rootfs = ContainerRootfs.Create(config.ImageRootfs, bundle, options.AllowOverlay);
            var spec = OciSpecBuilder.Build(config, rootfs.Path, cgroupPath, swapAccounting);
            await File.WriteAllTextAsync(Path.Combine(bundle, "config.json"), OciSpecBuilder.Serialize(spec), cancellationToken).ConfigureAwait(false);
            var container = new RuncContainer(config.Id, config.PodId, bundle, cgroupPath, LogPath(config.Id), clock.GetUtcNow());
            // What a later runtime needs to adopt the container; written before the shim, so a bundle without it has none.
            ContainerShim.WriteAtomically(Path.Combine(bundle, RecordFile),
                JsonSerializer.Serialize(new ContainerRecord(config.Id, config.PodId, container.StartedAt), Json));
            container.Shim = StartShim(shimCommand, container);
            container.ShimPid = container.Shim.Id;
            containers[config.Id] = container;
            container.Monitor = MonitorAsync(container);
            container.Pid = await WaitForStartAsync(container, cancellationToken).ConfigureAwait(false);
            Log.Started(logger, config.Id, container.Pid ?? 0, rootfs.IsOverlay);
            return container.Status();
        }
        catch (Exception) when (!containers.ContainsKey(config.Id))
        {
            // Failed before the shim ran: nothing but the bundle to undo.
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

    /// <summary>
    /// Starts `SHIM container-shim ...` with pipes for its stdio that we close at once: it must not hold the agent's
    /// output (a reader of the agent would never see EOF) and writes nothing but files. It makes its own session.
    /// </summary>
    private Process StartShim(IReadOnlyList<string> command, RuncContainer container)
    {
        var info = new ProcessStartInfo(command[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Skip(1))
            info.ArgumentList.Add(argument);
        foreach (var argument in new[] { ContainerShim.CommandName, "--bundle", container.BundleDirectory, "--id", container.Id,
                     "--log", container.LogPath, "--runc", options.RuncPath, "--runc-root", options.RuncRoot,
                     "--log-max-bytes", options.LogMaxBytes.ToString(CultureInfo.InvariantCulture),
                     "--log-max-files", options.LogMaxFiles.ToString(CultureInfo.InvariantCulture),
                     "--cgroup-root", options.CgroupRoot, "--cgroup-path", container.CgroupPath })
            info.ArgumentList.Add(argument);
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the container shim");
        process.StandardInput.Close();
        process.StandardOutput.Close();
        process.StandardError.Close();
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

    /// <summary>
    /// Polls (every 100 ms) for the shim's exit file; a shim gone without one counts as a kill (137), as kubelet
    /// reports a container it lost. Ends at the exit or when the runtime is disposed; never throws.
    /// </summary>
    private async Task MonitorAsync(RuncContainer container)
    {
        var exitFile = Path.Combine(container.BundleDirectory, ContainerShim.ExitFile);
        while (!watching.IsCancellationRequested)
        {
            var alive = container.ShimAlive();
            // Read after the liveness check: a shim that died has written its file before, or never will.
            if (ReadExit(exitFile) is { } exit)
            {
                container.SetExited(exit);
                Log.Exited(logger, container.Id, exit.ExitCode, exit.OomKilled);
                return;
            }
            if (!alive)
            {
                container.SetExited(new ContainerExit(137, clock.GetUtcNow(), false));
                Log.ShimLost(logger, container.Id);
                return;
            }
            try
            {
                await Task.Delay(PollInterval, clock, watching.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private ContainerExit? ReadExit(string file)
    {
        try
        {
            return File.Exists(file) ? JsonSerializer.Deserialize(File.ReadAllText(file), ContainerShimJson.Default.ContainerExit) : null;
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            Log.BadExitFile(logger, file, e);
            return null;
        }
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
                var shimError = Path.Combine(container.BundleDirectory, ContainerShim.ErrorFile);
                throw new ContainerStartException(container.Id, File.Exists(shimError)
                    ? "the container shim failed: " + (await File.ReadAllTextAsync(shimError, cancellationToken).ConfigureAwait(false)).Split('\n')[0]
                    : RuncError(container.BundleDirectory));
            }
            try
            {
                await Task.WhenAny(container.Exited, Task.Delay(TimeSpan.FromMilliseconds(20), clock, timeout.Token)).ConfigureAwait(false);
                timeout.Token.ThrowIfCancellationRequested();
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new ContainerStartException(container.Id, $"runc did not start it within {options.StartTimeout}");
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

    /// <summary>
    /// Stops watching. Containers and their shims keep running (a later runtime on the same root adopts them,
    /// <see cref="AdoptAsync"/>); to remove them, delete them or run <see cref="CleanUpOrphansAsync"/> from another runtime.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await watching.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(containers.Values.Select(c => c.Monitor)).ConfigureAwait(false);
    }
}
