namespace Orchestrator.Node.Runtime;

/// <summary>
/// Usage read from cgroup v1 files: cpuacct.usage (ns of CPU) and the working set, defined as kubelet
/// does: memory.usage_in_bytes minus total_inactive_file (page cache the kernel can drop at no cost).
/// </summary>
public static class CgroupStats
{
    /// <param name="cgroupPath">The cgroup path below each controller, e.g. /orchestrator/pod/container.</param>
    public static async Task<ResourceUsage?> ReadAsync(string cgroupRoot, string cgroupPath, TimeProvider clock, CancellationToken cancellationToken)
    {
        var relative = cgroupPath.TrimStart('/');
        var cpuFile = Path.Combine(cgroupRoot, "cpuacct", relative, "cpuacct.usage");
        var memoryDirectory = Path.Combine(cgroupRoot, "memory", relative);
        if (!File.Exists(cpuFile) || !Directory.Exists(memoryDirectory))
            return null;
        try
        {
            var cpu = ulong.Parse((await File.ReadAllTextAsync(cpuFile, cancellationToken).ConfigureAwait(false)).Trim());
            var usage = ulong.Parse((await File.ReadAllTextAsync(Path.Combine(memoryDirectory, "memory.usage_in_bytes"), cancellationToken).ConfigureAwait(false)).Trim());
            var inactiveFile = 0UL;
            foreach (var line in await File.ReadAllLinesAsync(Path.Combine(memoryDirectory, "memory.stat"), cancellationToken).ConfigureAwait(false))
            {
                if (line.StartsWith("total_inactive_file ", StringComparison.Ordinal))
                    inactiveFile = ulong.Parse(line["total_inactive_file ".Length..]);
            }
            return new ResourceUsage(cpu, usage > inactiveFile ? usage - inactiveFile : 0, clock.GetUtcNow());
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // The cgroup vanished between the existence check and the read: the container just ended.
            return null;
        }
    }

    /// <summary>Whether the memory controller accounts swap (memory.memsw.*); Debian only has it with swapaccount=1.</summary>
    public static bool HasSwapAccounting(string cgroupRoot) =>
        File.Exists(Path.Combine(cgroupRoot, "memory", "memory.memsw.limit_in_bytes"));

    /// <summary>Whether the memory cgroup recorded an OOM kill (memory.oom_control: oom_kill N, kernels 4.13+).</summary>
    public static bool WasOomKilled(string cgroupRoot, string cgroupPath)
    {
        var file = Path.Combine(cgroupRoot, "memory", cgroupPath.TrimStart('/'), "memory.oom_control");
        try
        {
            return File.ReadLines(file).Any(l => l.StartsWith("oom_kill ", StringComparison.Ordinal) && l != "oom_kill 0");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Removes a now-empty cgroup directory (a pod's, after its last container) in every controller.</summary>
    public static void RemoveEmpty(string cgroupRoot, string cgroupPath)
    {
        foreach (var controller in Directory.EnumerateDirectories(cgroupRoot))
        {
            var directory = Path.Combine(controller, cgroupPath.TrimStart('/'));
            try
            {
                // rmdir on a cgroup succeeds despite its control files and fails while it has tasks or children.
                if (Directory.Exists(directory) && new DirectoryInfo(controller).LinkTarget is null)
                    Directory.Delete(directory, recursive: false);
            }
            catch (IOException)
            {
                // Still in use (another container of the pod): leave it.
            }
        }
    }
}
