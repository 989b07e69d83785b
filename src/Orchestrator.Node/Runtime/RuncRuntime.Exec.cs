using System.Diagnostics;

namespace Orchestrator.Node.Runtime;

public sealed partial class RuncRuntime
{
    /// <summary>
    /// Runs a command inside a running container with `runc exec` (same namespaces, cgroup, env and cwd as
    /// the container's process), wiring the given streams to it; returns its exit code. A null
    /// <paramref name="stdin"/> gives the command EOF at once. Cancelling kills the exec'd process.
    /// </summary>
    public async Task<int> ExecAsync(string containerId, IReadOnlyList<string> command, Stream? stdin, Stream stdout, Stream stderr, CancellationToken cancellationToken)
    {
        if (command.Count == 0)
            throw new ArgumentException("exec needs a command", nameof(command));
        var container = Get(containerId);
        if (container.Exited.IsCompleted)
            throw new InvalidOperationException($"container {containerId} is not running");
        var pidFile = Path.Combine(container.BundleDirectory, $"exec-{Guid.NewGuid():N}.pid");
        var info = RuncStartInfo();
        foreach (var argument in new[] { "exec", "--pid-file", pidFile, containerId }.Concat(command))
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start runc exec");
        using var stopInput = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var input = CopyInputAsync(stdin, process.StandardInput.BaseStream, stopInput.Token);
        var output = process.StandardOutput.BaseStream.CopyToAsync(stdout, cancellationToken);
        var error = process.StandardError.BaseStream.CopyToAsync(stderr, cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            await Task.WhenAll(output, error).ConfigureAwait(false);
            return process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            // Killing runc exec alone would leave the command running inside the container.
            await KillExecAsync(pidFile).ConfigureAwait(false);
            ExternalCommand.TryKill(process);
            throw;
        }
        finally
        {
            // The command may end before its input does (a websocket kept open): stop feeding it.
            stopInput.Cancel();
            await input.ConfigureAwait(false);
            File.Delete(pidFile);
        }
    }

    private static async Task CopyInputAsync(Stream? source, Stream target, CancellationToken cancellationToken)
    {
        try
        {
            if (source is not null)
                await source.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // Input stopped because the command ended (broken pipe) or the caller went away.
        }
        finally
        {
            try
            {
                target.Close();
            }
            catch (IOException)
            {
                // The command already closed its end.
            }
        }
    }

    private static async Task KillExecAsync(string pidFile)
    {
        if (!File.Exists(pidFile) || !int.TryParse(await File.ReadAllTextAsync(pidFile).ConfigureAwait(false), out var pid))
            return;
        try
        {
            using var target = Process.GetProcessById(pid);
            target.Kill();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // Already exited.
        }
    }
}
