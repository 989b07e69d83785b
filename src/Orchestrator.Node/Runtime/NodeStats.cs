namespace Orchestrator.Node.Runtime;

/// <summary>
/// Whole-node usage for NodeMetrics: CPU time of all CPUs from /proc/stat (everything but idle and iowait)
/// and memory in use from /proc/meminfo (MemTotal - MemAvailable, i.e. what cannot be reclaimed cheaply).
/// </summary>
public static class NodeStats
{
    /// <summary>USER_HZ on every Linux architecture we run on; /proc/stat counts in these ticks.</summary>
    private const ulong NanosecondsPerTick = 10_000_000;

    public static async Task<ResourceUsage> ReadAsync(TimeProvider clock, CancellationToken cancellationToken, string procRoot = "/proc")
    {
        var cpu = 0UL;
        foreach (var line in await File.ReadAllLinesAsync(Path.Combine(procRoot, "stat"), cancellationToken).ConfigureAwait(false))
        {
            if (!line.StartsWith("cpu ", StringComparison.Ordinal))
                continue;
            // user nice system idle iowait irq softirq steal (guest time is already inside user).
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(ulong.Parse).ToArray();
            cpu = fields.Aggregate(0UL, (sum, f) => sum + f) - fields[3] - fields[4];
            break;
        }
        ulong total = 0, available = 0;
        foreach (var line in await File.ReadAllLinesAsync(Path.Combine(procRoot, "meminfo"), cancellationToken).ConfigureAwait(false))
        {
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
                total = Kilobytes(line);
            else if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
                available = Kilobytes(line);
        }
        return new ResourceUsage(cpu * NanosecondsPerTick, total > available ? total - available : 0, clock.GetUtcNow());
    }

    public static async Task<(int Cpus, ulong MemoryBytes)> ReadCapacityAsync(CancellationToken cancellationToken, string procRoot = "/proc")
    {
        ulong total = 0;
        foreach (var line in await File.ReadAllLinesAsync(Path.Combine(procRoot, "meminfo"), cancellationToken).ConfigureAwait(false))
        {
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
                total = Kilobytes(line);
        }
        return (Environment.ProcessorCount, total);
    }

    private static ulong Kilobytes(string line) =>
        ulong.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
}
