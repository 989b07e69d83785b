using System.Collections;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Orchestrator.Node.Runtime;

public sealed partial class RuncRuntime
{
    /// <summary>
    /// Runs a command inside a running container on a terminal, as `kubectl exec -t` asks: `runc exec` runs on
    /// a pseudo-terminal of ours that is its controlling terminal; runc makes the container's console, copies
    /// between it and ours, and on SIGWINCH gives the console our terminal's size. <paramref name="output"/> gets
    /// everything the command writes (a terminal has no separate stderr); <paramref name="stdin"/> is typed into
    /// the terminal; every size read from <paramref name="resizes"/> resizes it. Returns the exit code;
    /// cancelling kills the exec'd process and runc.
    /// </summary>
    public async Task<int> ExecInTerminalAsync(string containerId, IReadOnlyList<string> command, Stream? stdin, Stream output,
        TerminalSize size, ChannelReader<TerminalSize>? resizes, CancellationToken cancellationToken)
    {
        if (command.Count == 0)
            throw new ArgumentException("exec needs a command", nameof(command));
        var container = Get(containerId);
        if (container.Exited.IsCompleted)
            throw new InvalidOperationException($"container {containerId} is not running");
        var name = $"exec-{Guid.NewGuid():N}";
        var pidFile = Path.Combine(container.BundleDirectory, name + ".pid");
        var processFile = Path.Combine(container.BundleDirectory, name + ".json");
        await WriteTerminalProcessAsync(container, command, size, processFile, cancellationToken).ConfigureAwait(false);
        using var terminal = PseudoTerminal.Open(size);
        string[] arguments = [options.RuncPath, "--root", options.RuncRoot, "exec", "--process", processFile, "--pid-file", pidFile, containerId];
        var pid = terminal.Spawn(options.RuncPath, arguments, CurrentEnvironment());
        var exited = Task.Factory.StartNew(() => PseudoTerminal.WaitForExit(pid), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Both streams share the master's handle: disposing either closes it, so neither is disposed before the end.
        var fromTerminal = terminal.OpenMaster(FileAccess.Read);
        var toTerminal = terminal.OpenMaster(FileAccess.Write);
        var pumping = Task.Factory.StartNew(() => PumpOutput(fromTerminal, output, stop.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var typing = TypeInputAsync(stdin, toTerminal, stop.Token);
        var resizing = ResizeAsync(terminal, resizes, stop.Token);
        try
        {
            var exitCode = await exited.WaitAsync(cancellationToken).ConfigureAwait(false);
            // runc is gone, and with it the last holder of the slave: the master reads what is left, then EIO.
            try
            {
                await pumping.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // A process runc left behind holds the slave: the exit code is known, the rest of the output is not.
            }
            return exitCode;
        }
        catch (OperationCanceledException)
        {
            // Killing runc alone would leave the command running inside the container.
            await KillExecAsync(pidFile).ConfigureAwait(false);
            PseudoTerminal.Kill(pid);
            throw;
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(typing, resizing).ConfigureAwait(false);
            // Reaps runc after a kill; bounded, for a waitpid that cannot be cancelled.
            await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None)).ConfigureAwait(false);
            // A read still blocked (some other process kept the slave open) holds the handle until it returns.
            _ = pumping.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            await toTerminal.DisposeAsync().ConfigureAwait(false);
            await fromTerminal.DisposeAsync().ConfigureAwait(false);
            File.Delete(pidFile);
            File.Delete(processFile);
        }
    }

    /// <summary>
    /// The process runc exec starts: the container's own (env, cwd, user, capabilities, as `runc exec` without
    /// --process would take) with the command, a terminal and its initial size. runc resizes the console to our
    /// terminal only after the command started, so a command asking at once (stty size) would see 0x0 otherwise;
    /// with consoleSize, `runc init` sizes the console before the command runs.
    /// </summary>
    private static async Task WriteTerminalProcessAsync(RuncContainer container, IReadOnlyList<string> command, TerminalSize size, string path, CancellationToken cancellationToken)
    {
        var spec = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(container.BundleDirectory, "config.json"), cancellationToken).ConfigureAwait(false));
        if (spec?["process"] is not JsonObject process)
            throw new InvalidOperationException($"the bundle of container {container.Id} has no process");
        process["args"] = new JsonArray([.. command.Select(a => (JsonNode?)JsonValue.Create(a))]);
        process["terminal"] = true;
        process["consoleSize"] = new JsonObject { ["height"] = size.Rows, ["width"] = size.Columns };
        await File.WriteAllTextAsync(path, process.ToJsonString(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Copies the terminal's output until EIO (no process has the slave open any more), on its own thread.</summary>
    private static void PumpOutput(FileStream master, Stream output, CancellationToken cancellationToken)
    {
        // The master is a blocking descriptor that .NET cannot poll: a dedicated thread reads it, and writes each
        // chunk before reading the next (sync over async, which a thread of its own can afford).
        var buffer = new byte[16 * 1024];
        try
        {
            int count;
            while ((count = master.Read(buffer)) > 0 && !cancellationToken.IsCancellationRequested)
                output.WriteAsync(buffer.AsMemory(0, count), cancellationToken).AsTask().GetAwaiter().GetResult();
        }
        catch (IOException)
        {
            // EIO: the slave was closed by its last holder; that is the end of output.
        }
        catch (OperationCanceledException)
        {
            // The session is over.
        }
    }

    private static async Task TypeInputAsync(Stream? source, FileStream master, CancellationToken cancellationToken)
    {
        if (source is null)
            return;
        try
        {
            await source.CopyToAsync(master, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The command ended (EIO on the master) or the caller went away. The end of input is not passed on:
            // a terminal has no end of file, only a typed ^D.
        }
    }

    private static async Task ResizeAsync(PseudoTerminal terminal, ChannelReader<TerminalSize>? resizes, CancellationToken cancellationToken)
    {
        if (resizes is null)
            return;
        try
        {
            await foreach (var size in resizes.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                terminal.Resize(size);
        }
        catch (OperationCanceledException)
        {
            // The command ended.
        }
    }

    /// <summary>The agent's environment as KEY=value strings, what Process.Start would pass runc.</summary>
    private static IEnumerable<string> CurrentEnvironment() =>
        Environment.GetEnvironmentVariables().Cast<DictionaryEntry>().Select(e => $"{e.Key}={e.Value}");
}
