using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Orchestrator.Node.Runtime;

/// <summary>What one container's shim needs: the runc invocation, where to log and where the cgroup is (for the OOM flag).</summary>
public sealed record ContainerShimOptions
{
    public required string Bundle { get; init; }
    public required string Id { get; init; }
    public required string LogPath { get; init; }
    public required string RuncRoot { get; init; }
    public string RuncPath { get; init; } = "runc";
    public long LogMaxBytes { get; init; } = 10 * 1024 * 1024;
    public int LogMaxFiles { get; init; } = 5;
    public string CgroupRoot { get; init; } = "/sys/fs/cgroup";

    /// <summary>The container's cgroup (/parent/pod/container), read for the OOM flag once it exits.</summary>
    public required string CgroupPath { get; init; }
}

/// <summary>
/// The per-container shim (containerd-shim, conmon): a process of its own session that is the parent of the
/// foreground `runc run --keep`, so the container and its output pipes outlive the agent. It copies stdout and
/// stderr into the CRI log (<see cref="ContainerLogWriter"/>, with rotation) and, when runc exits, writes the exit
/// atomically to <see cref="ExitFile"/> in the bundle, then exits. The runtime finds it again by
/// <see cref="PidFile"/>. It ignores SIGTERM, SIGINT and SIGHUP: only the container's end (or SIGKILL) ends it.
/// </summary>
public static class ContainerShim
{
    /// <summary>The container's exit as JSON (<see cref="ContainerExit"/>), written once by rename.</summary>
    public const string ExitFile = "exit.json";

    /// <summary>The shim's pid, written by rename as it starts.</summary>
    public const string PidFile = "shim.pid";

    /// <summary>What made the shim fail before it could record an exit.</summary>
    public const string ErrorFile = "shim.log";

    /// <summary>The command-line word the shim runs under, also how a live shim is recognised in /proc.</summary>
    public const string CommandName = "container-shim";

    /// <summary>Runs the container to its end; returns the shim's exit code (0 once the exit is recorded).</summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public static async Task<int> RunAsync(ContainerShimOptions options)
    {
        // Its own session: no terminal's or agent's process-group signal reaches it. Fails only for a group leader.
        LibC.SetSid();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => c.Cancel = true);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => c.Cancel = true);
        using var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, c => c.Cancel = true);
        try
        {
            WriteAtomically(Path.Combine(options.Bundle, PidFile), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var exit = await SuperviseAsync(options).ConfigureAwait(false);
            WriteAtomically(Path.Combine(options.Bundle, ExitFile), JsonSerializer.Serialize(exit, ContainerShimJson.Default.ContainerExit));
            return 0;
        }
        catch (Exception e)
        {
            try
            {
                await File.AppendAllTextAsync(Path.Combine(options.Bundle, ErrorFile), e + Environment.NewLine).ConfigureAwait(false);
            }
            catch (IOException)
            {
                // The bundle is gone (the container was deleted under us): nobody is left to tell.
            }
            return 1;
        }
    }

    private static async Task<ContainerExit> SuperviseAsync(ContainerShimOptions options)
    {
        await using var log = new ContainerLogWriter(options.LogPath, options.LogMaxBytes, options.LogMaxFiles, TimeProvider.System);
        var stdio = ContainerStdio.FromSpec(JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(options.Bundle, "config.json")).ConfigureAwait(false)));
        string[] arguments = ["--root", options.RuncRoot, "--log", Path.Combine(options.Bundle, "runc.log"), "--log-format", "json",
            "run", "--keep", "--bundle", options.Bundle, "--pid-file", Path.Combine(options.Bundle, "pid"), options.Id];
        var code = stdio.Tty
            ? await RunOnTerminalAsync(options, arguments, stdio, log).ConfigureAwait(false)
            : await RunOnPipesAsync(options, arguments, stdio, log).ConfigureAwait(false);
        var oom = code == 137 && CgroupStats.WasOomKilled(options.CgroupRoot, options.CgroupPath);
        return new ContainerExit(code, DateTimeOffset.UtcNow, oom);
    }

    /// <summary>runc with pipes for stdio: stdout and stderr go to the log and to attached clients.</summary>
    private static async Task<int> RunOnPipesAsync(ContainerShimOptions options, string[] arguments, ContainerStdio stdio, ContainerLogWriter log)
    {
        var info = new ProcessStartInfo(options.RuncPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        using var runc = Process.Start(info) ?? throw new InvalidOperationException("could not start runc");
        // Without stdin in its spec the container reads EOF, as with kubelet; with it, attached clients type into it.
        if (!stdio.Stdin)
            runc.StandardInput.Close();
        var attach = AttachServer.Start(options.Bundle, stdio, stdio.Stdin ? runc.StandardInput.BaseStream : null, resize: null);
        await using (attach.ConfigureAwait(false))
        {
            var stdout = log.CopyAsync(new PublishingStream(runc.StandardOutput.BaseStream, data => attach.Publish(AttachFrames.Stdout, data)), "stdout", CancellationToken.None);
            var stderr = log.CopyAsync(new PublishingStream(runc.StandardError.BaseStream, data => attach.Publish(AttachFrames.Stderr, data)), "stderr", CancellationToken.None);
            await runc.WaitForExitAsync().ConfigureAwait(false);
            await DrainAsync(stdout, stderr).ConfigureAwait(false);
            return runc.ExitCode;
        }
    }

    /// <summary>
    /// runc on a pseudo-terminal of ours (container.tty): runc gives the container a console and copies between it
    /// and our terminal, and on SIGWINCH sizes the console like ours, so a resize from a client is a resize of ours.
    /// Everything the container writes is one stream, logged as stdout.
    /// </summary>
    private static async Task<int> RunOnTerminalAsync(ContainerShimOptions options, string[] arguments, ContainerStdio stdio, ContainerLogWriter log)
    {
        using var terminal = PseudoTerminal.Open(new TerminalSize(80, 24));
        var environment = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>().Select(e => $"{e.Key}={e.Value}");
        var pid = terminal.Spawn(options.RuncPath, [options.RuncPath, .. arguments], environment);
        var exited = Task.Factory.StartNew(() => PseudoTerminal.WaitForExit(pid), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        // Both streams share the master's handle: neither is disposed before the end.
        var fromTerminal = terminal.OpenMaster(FileAccess.Read);
        var toTerminal = terminal.OpenMaster(FileAccess.Write);
        var attach = AttachServer.Start(options.Bundle, stdio, stdio.Stdin ? toTerminal : null, terminal.Resize);
        await using (attach.ConfigureAwait(false))
        {
            var output = log.CopyAsync(new PublishingStream(fromTerminal, data => attach.Publish(AttachFrames.Stdout, data)), "stdout", CancellationToken.None);
            var code = await exited.ConfigureAwait(false);
            await DrainAsync(output).ConfigureAwait(false);
            return code;
        }
    }

    /// <summary>The pipes close when the last process of the container is gone, which with a pid namespace is its init.</summary>
    private static async Task DrainAsync(params Task[] copies)
    {
        try
        {
            await Task.WhenAll(copies).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or IOException)
        {
            // A process that escaped the container holds the pipe (or the terminal reported EIO): the exit still counts.
        }
    }

    /// <summary>Readers see no file or the whole file, never a half-written one.</summary>
    internal static void WriteAtomically(string path, string text)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>
    /// Whether <paramref name="pid"/> is still the shim of <paramref name="containerId"/>: its command line names both
    /// (a zombie's is empty, a reused pid's is someone else's).
    /// </summary>
    public static bool IsAlive(int pid, string containerId)
    {
        try
        {
            var arguments = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
            return arguments.Contains(CommandName, StringComparer.Ordinal) && arguments.Contains(containerId, StringComparer.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}

/// <summary>The exit file's serializer, generated at compile time: the native (AOT) shim has no reflection-based JSON.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ContainerExit))]
internal sealed partial class ContainerShimJson : JsonSerializerContext;
