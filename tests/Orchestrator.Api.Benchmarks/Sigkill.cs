using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Orchestrator.Api.Benchmarks;

/// <summary>
/// kill(2) with SIGKILL, straight away: Process.Kill(entireProcessTree) first walks /proc for children, which would
/// put milliseconds between the timestamp a failover trial takes and the actual signal.
/// </summary>
internal static class Sigkill
{
    private const int SignalKill = 9;

    /// <returns>The Stopwatch timestamp taken right after the signal was sent.</returns>
    public static long Send(int pid)
    {
        if (Kill(pid, SignalKill) != 0)
            throw new InvalidOperationException($"kill({pid}, SIGKILL) failed: errno {Marshal.GetLastWin32Error()}");
        return Stopwatch.GetTimestamp();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
