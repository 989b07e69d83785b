using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Orchestrator.Server.Hosting;

/// <summary>
/// The processes of a local cluster (replicas, registry, node agents): each runs in its own session (setsid), so
/// it outlives a detached `up` and does not get the terminal's Ctrl-C, with its output appended to a log and its
/// pid in a file. `down` stops what the pid files name.
/// </summary>
internal static class LocalProcesses
{
    private const int SIGTERM = 15;

    /// <summary>The command line that runs this executable (`dotnet orchestrator.dll` when started through dotnet).</summary>
    public static IReadOnlyList<string> Self(params string[] arguments)
    {
        var self = Environment.ProcessPath!;
        return Path.GetFileNameWithoutExtension(self) == "dotnet"
            ? [self, typeof(LocalProcesses).Assembly.Location, .. arguments]
            : [self, .. arguments];
    }

    public static async Task StartAsync(IReadOnlyList<string> command, string logPath, string pidFile, CancellationToken token)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        var shell = $"exec {string.Join(' ', command.Select(Quote))} >>{Quote(logPath)} 2>&1";
        // Started by us, setsid is not a group leader, so it calls setsid() itself and execs: the pid is the program's.
        var info = new ProcessStartInfo("setsid") { UseShellExecute = false, ArgumentList = { "sh", "-c", shell } };
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {command[0]}");
        await File.WriteAllTextAsync(pidFile, process.Id.ToString(CultureInfo.InvariantCulture), token);
    }

    /// <summary>The pid the file names when that process is alive, else null.</summary>
    public static int? RunningPid(string pidFile)
    {
        try
        {
            return int.TryParse(File.ReadAllText(pidFile), out var pid) && IsAlive(pid) ? pid : null;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// SIGTERM to every live process the files name, SIGKILL (with its children) to those still alive after
    /// <paramref name="grace"/>; the pid files are deleted. Returns the pid files whose process was running.
    /// </summary>
    public static async Task<IReadOnlyList<string>> StopAsync(IEnumerable<string> pidFiles, TimeSpan grace)
    {
        var running = pidFiles.Select(f => (File: f, Pid: RunningPid(f))).Where(p => p.Pid is not null).ToList();
        foreach (var (_, pid) in running)
            _ = Kill(pid!.Value, SIGTERM);
        var deadline = DateTime.UtcNow + grace;
        while (running.Any(r => IsAlive(r.Pid!.Value)) && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        foreach (var (_, pid) in running.Where(r => IsAlive(r.Pid!.Value)))
        {
            try
            {
                using var process = Process.GetProcessById(pid!.Value);
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5_000);
            }
            catch (ArgumentException)
            {
            }
        }
        foreach (var file in pidFiles)
            File.Delete(file);
        return [.. running.Select(r => r.File)];
    }

    public static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The last non-empty line of a log that is not part of a stack trace, to say why a process ended.</summary>
    public static string LastLine(string logPath)
    {
        try
        {
            return File.ReadLines(logPath).Select(l => l.Trim())
                .LastOrDefault(l => l.Length > 0 && !l.StartsWith("at ", StringComparison.Ordinal) && !l.StartsWith("--- ", StringComparison.Ordinal))
                ?? "(empty log)";
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    /// <summary>The full path of <paramref name="name"/> on PATH, or null.</summary>
    public static string? Which(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    private static string Quote(string text) => "'" + text.Replace("'", "'\\''") + "'";

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
