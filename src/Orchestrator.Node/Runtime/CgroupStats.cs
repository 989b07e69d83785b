namespace Orchestrator.Node.Runtime;

/// <summary>
/// Usage and OOM kills read from cgroup files, on a v1 host (one hierarchy per controller) or a unified v2 host (one
/// hierarchy, e.g. Debian 12's default). CPU is nanoseconds used; the working set is defined as kubelet does: memory in
/// use minus inactive page cache (which the kernel can drop at no cost).
/// </summary>
public static class CgroupStats
{
    /// <summary>Whether <paramref name="cgroupRoot"/> is a cgroup v2 (unified) mount.</summary>
    public static bool IsUnified(string cgroupRoot) => File.Exists(Path.Combine(cgroupRoot, "cgroup.controllers"));

    /// <param name="cgroupPath">The cgroup path below the root (below each controller on v1), e.g. /orchestrator/pod/container.</param>
    public static async Task<ResourceUsage?> ReadAsync(string cgroupRoot, string cgroupPath, TimeProvider clock, CancellationToken cancellationToken)
    {
        var relative = cgroupPath.TrimStart('/');
        var unified = IsUnified(cgroupRoot);
        var memoryDirectory = unified ? Path.Combine(cgroupRoot, relative) : Path.Combine(cgroupRoot, "memory", relative);
        var cpuFile = unified ? Path.Combine(memoryDirectory, "cpu.stat") : Path.Combine(cgroupRoot, "cpuacct", relative, "cpuacct.usage");
        if (!File.Exists(cpuFile) || !Directory.Exists(memoryDirectory))
            return null;
        try
        {
            var cpuText = await File.ReadAllTextAsync(cpuFile, cancellationToken).ConfigureAwait(false);
            // v2: cpu.stat "usage_usec N"; v1: cpuacct.usage in nanoseconds.
            var cpu = unified ? Field(cpuText, "usage_usec") * 1000 : ulong.Parse(cpuText.Trim());
            var usage = ulong.Parse((await File.ReadAllTextAsync(Path.Combine(memoryDirectory, unified ? "memory.current" : "memory.usage_in_bytes"),
                cancellationToken).ConfigureAwait(false)).Trim());
            var stat = await File.ReadAllTextAsync(Path.Combine(memoryDirectory, "memory.stat"), cancellationToken).ConfigureAwait(false);
            var inactiveFile = Field(stat, unified ? "inactive_file" : "total_inactive_file");
            return new ResourceUsage(cpu, usage > inactiveFile ? usage - inactiveFile : 0, clock.GetUtcNow());
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // The cgroup vanished between the existence check and the read: the container just ended.
            return null;
        }
    }

    /// <summary>
    /// Whether the memory controller accounts swap: v1 memory.memsw.* (Debian only has it with swapaccount=1), v2
    /// memory.swap.max in the cgroups below the root. runc fails to set a swap limit without it.
    /// </summary>
    public static bool HasSwapAccounting(string cgroupRoot)
    {
        if (!IsUnified(cgroupRoot))
            return File.Exists(Path.Combine(cgroupRoot, "memory", "memory.memsw.limit_in_bytes"));
        try
        {
            return Directory.EnumerateDirectories(cgroupRoot).Any(d => File.Exists(Path.Combine(d, "memory.swap.max")));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Whether the memory cgroup recorded an OOM kill (v1 memory.oom_control, kernels 4.13+; v2 memory.events): "oom_kill N".</summary>
    public static bool WasOomKilled(string cgroupRoot, string cgroupPath)
    {
        var relative = cgroupPath.TrimStart('/');
        var file = IsUnified(cgroupRoot)
            ? Path.Combine(cgroupRoot, relative, "memory.events")
            : Path.Combine(cgroupRoot, "memory", relative, "memory.oom_control");
        try
        {
            return Field(File.ReadAllText(file), "oom_kill") > 0;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
    }

    /// <summary>The directory of a cgroup for listing its children: under the memory controller on v1, the one tree on v2.</summary>
    public static string DirectoryOf(string cgroupRoot, string cgroupPath) =>
        IsUnified(cgroupRoot) ? Path.Combine(cgroupRoot, cgroupPath.TrimStart('/')) : Path.Combine(cgroupRoot, "memory", cgroupPath.TrimStart('/'));

    /// <summary>Removes a now-empty cgroup directory (a pod's, after its last container), in every controller on v1.</summary>
    public static void RemoveEmpty(string cgroupRoot, string cgroupPath)
    {
        var hierarchies = IsUnified(cgroupRoot) ? [cgroupRoot]
            : Directory.EnumerateDirectories(cgroupRoot).Where(c => new DirectoryInfo(c).LinkTarget is null);
        foreach (var hierarchy in hierarchies)
        {
            var directory = Path.Combine(hierarchy, cgroupPath.TrimStart('/'));
            try
            {
                // rmdir on a cgroup succeeds despite its control files and fails while it has tasks or children.
                if (Directory.Exists(directory))
                    Directory.Delete(directory, recursive: false);
            }
            catch (IOException)
            {
                // Still in use (another container of the pod): leave it.
            }
        }
    }

    /// <summary>The value of a "key value" line of a flat-keyed cgroup file (cpu.stat, memory.stat, memory.events); 0 if absent.</summary>
    internal static ulong Field(string text, string key)
    {
        foreach (var line in text.Split('\n'))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space == key.Length && line.StartsWith(key, StringComparison.Ordinal) && ulong.TryParse(line.AsSpan(space + 1).Trim(), out var value))
                return value;
        }
        return 0;
    }
}
