using System.Globalization;
using System.Runtime.InteropServices;
using Orchestrator.Node.Runtime;

namespace Orchestrator.Node.Agent;

/// <summary>What the node reports about the machine: capacity and nodeInfo, read once at start.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed record HostFacts(
    int Cpus,
    long MemoryBytes,
    string KernelVersion,
    string OsImage,
    string Architecture,
    string RuncVersion,
    string MachineId,
    string BootId)
{
    public static async Task<HostFacts> ReadAsync(CancellationToken token)
    {
        var runc = await ExternalCommand.RunAsync("runc", ["--version"], token).ConfigureAwait(false);
        // "runc version 1.1.5" on the first line.
        var version = runc.Succeeded ? runc.StandardOutput.Split('\n')[0].Split(' ').Last().Trim() : "unknown";
        return new HostFacts(
            Environment.ProcessorCount,
            await MemTotalAsync(token).ConfigureAwait(false),
            (await ReadOrAsync("/proc/sys/kernel/osrelease", "unknown", token).ConfigureAwait(false)).Trim(),
            await OsImageAsync(token).ConfigureAwait(false),
            RuntimeInformation.OSArchitecture switch { System.Runtime.InteropServices.Architecture.X64 => "amd64", System.Runtime.InteropServices.Architecture.Arm64 => "arm64", var other => other.ToString().ToLowerInvariant() },
            version,
            (await ReadOrAsync("/etc/machine-id", "", token).ConfigureAwait(false)).Trim(),
            (await ReadOrAsync("/proc/sys/kernel/random/boot_id", "", token).ConfigureAwait(false)).Trim());
    }

    private static async Task<long> MemTotalAsync(CancellationToken token)
    {
        foreach (var line in (await ReadOrAsync("/proc/meminfo", "", token).ConfigureAwait(false)).Split('\n'))
        {
            // "MemTotal:       16318504 kB"
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        return 0;
    }

    private static async Task<string> OsImageAsync(CancellationToken token)
    {
        foreach (var line in (await ReadOrAsync("/etc/os-release", "", token).ConfigureAwait(false)).Split('\n'))
        {
            if (line.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))
                return line["PRETTY_NAME=".Length..].Trim('"');
        }
        return RuntimeInformation.OSDescription;
    }

    private static async Task<string> ReadOrAsync(string path, string fallback, CancellationToken token) =>
        File.Exists(path) ? await File.ReadAllTextAsync(path, token).ConfigureAwait(false) : fallback;
}
