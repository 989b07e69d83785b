using System.Diagnostics;

namespace Orchestrator.Deploy.Tests;

/// <summary>Runs Debian's promtool (package prometheus) with a timeout; the combined output comes back for messages.</summary>
internal static class Promtool
{
    public const string Binary = "/usr/bin/promtool";

    public static async Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo(Binary)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"promtool {string.Join(' ', args)} did not finish in 60 s");
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>deploy/prometheus as copied beside the test assembly.</summary>
    public static string ShippedDirectory => Path.Combine(AppContext.BaseDirectory, "deploy", "prometheus");
}
