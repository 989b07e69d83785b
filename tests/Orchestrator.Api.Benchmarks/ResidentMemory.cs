using Orchestrator.Testing;

namespace Orchestrator.Api.Benchmarks;

/// <summary>
/// Resident set sizes (VmRSS from /proc/PID/status) of the replica and etcd processes, read at the end of each phase,
/// printed then and once more as a summary table.
/// </summary>
internal sealed class ResidentMemory(ApiCluster cluster, EtcdCluster? etcd)
{
    private readonly List<(string Phase, long? Replicas, long? Etcd)> rows = [];

    public void Read(string phase)
    {
        var replicas = cluster.Replicas.Select(r => Kib(r.ProcessId)).ToList();
        var members = etcd?.Members.Select(m => Kib(m.ProcessId)).ToList() ?? [];
        var maxReplica = replicas.Max();
        var maxEtcd = members.Count == 0 ? null : members.Max();
        rows.Add((phase, maxReplica, maxEtcd));
        var line = $"RSS after {phase}: replicas {string.Join(" / ", replicas.Select(Mib))} MiB, max {Mib(maxReplica)} MiB";
        if (members.Count > 0)
            line += $"; etcd members {string.Join(" / ", members.Select(Mib))} MiB, max {Mib(maxEtcd)} MiB";
        Console.WriteLine(line);
    }

    public void PrintSummary()
    {
        Console.WriteLine("== resident memory (VmRSS) at the end of each phase");
        Console.WriteLine($"{"phase",-10} {"max replica MiB",15} {"max etcd MiB",12}");
        foreach (var (phase, replicas, members) in rows)
            Console.WriteLine($"{phase,-10} {Mib(replicas),15} {Mib(members),12}");
    }

    private static string Mib(long? kib) => kib is { } k ? (k / 1024.0).ToString("F0") : "-";

    /// <summary>VmRSS in KiB, or null when the process is not running (or not on Linux).</summary>
    private static long? Kib(int? pid)
    {
        if (pid is null)
            return null;
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0]);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
