using Orchestrator.Node.Runtime;
using Xunit;

namespace Orchestrator.Node.Runtime.Tests;

/// <summary>
/// Usage and OOM kills from both cgroup layouts, read from file trees shaped like the kernel's (this host has only one
/// of them, so the other is checked on a copy of its file formats).
/// </summary>
public sealed class CgroupStatsTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("orch-cgroup-").FullName;

    [Fact]
    public async Task Unified_v2_tree_gives_cpu_from_cpu_stat_and_working_set_without_inactive_file()
    {
        await File.WriteAllTextAsync(Path.Combine(root, "cgroup.controllers"), "cpuset cpu io memory pids\n");
        var pod = Directory.CreateDirectory(Path.Combine(root, "orchestrator", "pod", "ctr")).FullName;
        await File.WriteAllTextAsync(Path.Combine(pod, "cpu.stat"), "usage_usec 2500\nuser_usec 2000\nsystem_usec 500\n");
        await File.WriteAllTextAsync(Path.Combine(pod, "memory.current"), "10485760\n");
        await File.WriteAllTextAsync(Path.Combine(pod, "memory.stat"), "anon 6291456\nfile 4194304\nactive_file 1048576\ninactive_file 3145728\n");
        await File.WriteAllTextAsync(Path.Combine(pod, "memory.events"), "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n");

        Assert.True(CgroupStats.IsUnified(root));
        var usage = await CgroupStats.ReadAsync(root, "/orchestrator/pod/ctr", TimeProvider.System, CancellationToken.None);
        Assert.NotNull(usage);
        Assert.Equal(2_500_000UL, usage.CpuUsageNanoseconds);
        Assert.Equal(10_485_760UL - 3_145_728UL, usage.MemoryWorkingSetBytes);
        Assert.True(CgroupStats.WasOomKilled(root, "/orchestrator/pod/ctr"));
        Assert.Equal(Path.Combine(root, "orchestrator"), CgroupStats.DirectoryOf(root, "/orchestrator"));
        Assert.Null(await CgroupStats.ReadAsync(root, "/orchestrator/gone", TimeProvider.System, CancellationToken.None));

        var empty = Directory.CreateDirectory(Path.Combine(root, "orchestrator", "empty")).FullName;
        CgroupStats.RemoveEmpty(root, "/orchestrator/empty");
        Assert.False(Directory.Exists(empty));
    }

    [Fact]
    public async Task V1_hierarchies_give_cpu_from_cpuacct_and_oom_from_oom_control()
    {
        var cpu = Directory.CreateDirectory(Path.Combine(root, "cpuacct", "orchestrator", "pod")).FullName;
        var memory = Directory.CreateDirectory(Path.Combine(root, "memory", "orchestrator", "pod")).FullName;
        await File.WriteAllTextAsync(Path.Combine(cpu, "cpuacct.usage"), "123456789\n");
        await File.WriteAllTextAsync(Path.Combine(memory, "memory.usage_in_bytes"), "8388608\n");
        await File.WriteAllTextAsync(Path.Combine(memory, "memory.stat"), "cache 0\ninactive_file 99\ntotal_inactive_file 1048576\n");
        await File.WriteAllTextAsync(Path.Combine(memory, "memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n");

        Assert.False(CgroupStats.IsUnified(root));
        var usage = await CgroupStats.ReadAsync(root, "/orchestrator/pod", TimeProvider.System, CancellationToken.None);
        Assert.NotNull(usage);
        Assert.Equal(123_456_789UL, usage.CpuUsageNanoseconds);
        Assert.Equal(8_388_608UL - 1_048_576UL, usage.MemoryWorkingSetBytes);
        Assert.False(CgroupStats.WasOomKilled(root, "/orchestrator/pod"));
        Assert.Equal(Path.Combine(root, "memory", "orchestrator"), CgroupStats.DirectoryOf(root, "/orchestrator"));
    }

    public void Dispose() => Directory.Delete(root, recursive: true);
}
