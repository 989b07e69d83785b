using System.Diagnostics;

namespace Orchestrator.Node.Runtime;

/// <summary>What a finished helper command (runc, ip) returned.</summary>
public sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;
}

/// <summary>Thrown when a helper command (runc, ip) fails; carries its stderr so the cause is visible.</summary>
public sealed class ExternalCommandException(string command, CommandResult result)
    : Exception($"'{command}' exited with {result.ExitCode}: {result.StandardError.Trim()}")
{
    public CommandResult Result { get; } = result;
}

/// <summary>
/// Runs short-lived helper commands (runc state/kill/delete, ip ...) to completion. Long-lived ones
/// (runc run, runc exec) manage their own Process because their streams are the point.
/// </summary>
public static class ExternalCommand
{
    /// <param name="input">Written to the command's stdin, which is then closed (for example `ip -batch -`).</param>
    public static async Task<CommandResult> RunAsync(string file, IEnumerable<string> arguments, CancellationToken cancellationToken,
        string? input = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        if (input is not null)
            await process.StandardInput.WriteAsync(input.AsMemory(), cancellationToken).ConfigureAwait(false);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            TryKill(process);
            throw;
        }
        return new CommandResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    /// <summary>Runs the command and throws <see cref="ExternalCommandException"/> unless it exits 0.</summary>
    public static async Task<CommandResult> RunCheckedAsync(string file, IReadOnlyList<string> arguments, CancellationToken cancellationToken,
        string? input = null)
    {
        var result = await RunAsync(file, arguments, cancellationToken, input).ConfigureAwait(false);
        if (!result.Succeeded)
            throw new ExternalCommandException($"{file} {string.Join(' ', arguments)}" + (input is null ? "" : $" <<< {input.Trim()}"), result);
        return result;
    }

    internal static void TryKill(Process process)
    {
        try
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone: nothing to kill.
        }
    }
}
