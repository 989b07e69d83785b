using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Orchestrator.Node.Runtime;
using Xunit;

namespace Orchestrator.Node.Runtime.Tests;

/// <summary>Real containers with runc: output and logs, exit codes, stop with grace, exec, limits, stats, orphans.</summary>
public sealed class RuncRuntimeTests
{
    private static readonly Regex CriLine = new(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z (stdout|stderr) [PF] ");

    [Fact]
    public async Task Container_output_goes_to_a_CRI_log_and_exit_zero_is_reported()
    {
        await using var host = new TestRuntime();
        await host.Runtime.CreateAndStartAsync(host.Container("echo", "sh", "-c", "echo hello from busybox; echo oops >&2"), TestRuntime.Timeout());

        var exit = await host.Runtime.WaitAsync("echo", TestRuntime.Timeout());

        Assert.Equal(0, exit.ExitCode);
        var lines = await File.ReadAllLinesAsync(host.Runtime.LogPath("echo"));
        Assert.All(lines, l => Assert.Matches(CriLine, l));
        Assert.Contains(lines, l => l.EndsWith(" stdout F hello from busybox", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith(" stderr F oops", StringComparison.Ordinal));
        Assert.Equal(ContainerState.Exited, host.Runtime.GetStatus("echo")!.State);
    }

    [Fact]
    public async Task Exit_code_propagates()
    {
        await using var host = new TestRuntime();
        await host.Runtime.CreateAndStartAsync(host.Container("three", "sh", "-c", "exit 3"), TestRuntime.Timeout());

        var exit = await host.Runtime.WaitAsync("three", TestRuntime.Timeout());

        Assert.Equal(3, exit.ExitCode);
        Assert.False(exit.OomKilled);
    }

    [Fact]
    public async Task A_missing_executable_is_a_start_failure_and_leaves_nothing_behind()
    {
        await using var host = new TestRuntime();

        var error = await Assert.ThrowsAsync<ContainerStartException>(() =>
            host.Runtime.CreateAndStartAsync(host.Container("missing", "/bin/no-such-binary"), TestRuntime.Timeout()));

        Assert.Contains("no-such-binary", error.Message);
        await host.Runtime.DeleteAsync("missing", removeLogs: true, TestRuntime.Timeout());
        Assert.False(Directory.Exists(Path.Combine(host.Options.RootDirectory, "containers", "missing")));
    }

    [Fact]
    public async Task Stop_ends_a_container_that_handles_SIGTERM_within_the_grace_period()
    {
        await using var host = new TestRuntime();
        await host.Runtime.CreateAndStartAsync(
            host.Container("graceful", "sh", "-c", "trap 'echo got TERM; exit 0' TERM; echo ready; while true; do sleep 0.1; done"),
            TestRuntime.Timeout());
        await WaitForLogAsync(host, "graceful", "ready");

        var watch = Stopwatch.StartNew();
        var exit = await host.Runtime.StopAsync("graceful", TimeSpan.FromSeconds(20), TestRuntime.Timeout());

        Assert.Equal(0, exit.ExitCode);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        Assert.Contains("got TERM", await File.ReadAllTextAsync(host.Runtime.LogPath("graceful")));
    }

    [Fact]
    public async Task Stop_kills_a_container_ignoring_SIGTERM_after_the_grace_period()
    {
        await using var host = new TestRuntime();
        await host.Runtime.CreateAndStartAsync(
            host.Container("stubborn", "sh", "-c", "trap '' TERM; echo ready; while true; do sleep 0.1; done"), TestRuntime.Timeout());
        await WaitForLogAsync(host, "stubborn", "ready");

        var watch = Stopwatch.StartNew();
        var exit = await host.Runtime.StopAsync("stubborn", TimeSpan.FromSeconds(2), TestRuntime.Timeout());

        Assert.Equal(137, exit.ExitCode);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task Exec_runs_inside_the_container_with_streams_and_exit_code()
    {
        await using var host = new TestRuntime();
        var config = host.Container("exec", "sh", "-c", "echo ready; while true; do sleep 0.1; done") with
        {
            Hostname = "exec-host",
            Env = [new("GREETING", "hi")],
        };
        await host.Runtime.CreateAndStartAsync(config, TestRuntime.Timeout());
        await WaitForLogAsync(host, "exec", "ready");

        var (code, stdout, _) = await ExecAsync(host, "exec", ["echo", "hi"]);
        Assert.Equal(0, code);
        Assert.Equal("hi\n", stdout);

        (code, stdout, _) = await ExecAsync(host, "exec", ["sh", "-c", "echo $GREETING $(hostname); exit 7"]);
        Assert.Equal(7, code);
        Assert.Equal("hi exec-host\n", stdout);

        (code, stdout, _) = await ExecAsync(host, "exec", ["cat"], "piped in\n");
        Assert.Equal(0, code);
        Assert.Equal("piped in\n", stdout);
    }

    [Fact]
    public async Task Memory_limit_is_enforced_by_the_OOM_killer()
    {
        await using var host = new TestRuntime();
        // dd allocates its 64 MiB block and fills it from /dev/zero: far over a 16 MiB limit.
        var config = host.Container("hog", "dd", "if=/dev/zero", "of=/dev/null", "bs=64M", "count=1") with
        {
            Resources = new ContainerResources { MemoryLimitBytes = 16 * 1024 * 1024 },
        };
        await host.Runtime.CreateAndStartAsync(config, TestRuntime.Timeout());

        var exit = await host.Runtime.WaitAsync("hog", TestRuntime.Timeout());

        Assert.Equal(137, exit.ExitCode);
        Assert.True(exit.OomKilled);
    }

    [Fact]
    public async Task Stats_show_cpu_and_memory_of_a_busy_container_and_of_the_node()
    {
        await using var host = new TestRuntime();
        var config = host.Container("busy", "sh", "-c", "while true; do :; done") with
        {
            Resources = new ContainerResources { CpuLimitMillicores = 500, MemoryLimitBytes = 64 * 1024 * 1024 },
        };
        await host.Runtime.CreateAndStartAsync(config, TestRuntime.Timeout());

        ResourceUsage? usage = null;
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            usage = await host.Runtime.GetStatsAsync("busy", TestRuntime.Timeout());
            if (usage is { CpuUsageNanoseconds: > 100_000_000 })
                break;
            await Task.Delay(100);
        }

        Assert.NotNull(usage);
        Assert.True(usage.CpuUsageNanoseconds > 100_000_000, $"cpu {usage.CpuUsageNanoseconds} ns");
        Assert.True(usage.MemoryWorkingSetBytes > 0);
        var pod = await host.Runtime.GetPodStatsAsync("pod-busy", TestRuntime.Timeout());
        Assert.True(pod!.CpuUsageNanoseconds >= usage.CpuUsageNanoseconds);
        var node = await host.Runtime.GetNodeStatsAsync(TestRuntime.Timeout());
        Assert.True(node.CpuUsageNanoseconds > 0 && node.MemoryWorkingSetBytes > 0);
        // The cpu limit made it into the cgroup: quota 50 ms per 100 ms period.
        var quota = await File.ReadAllTextAsync(Path.Combine(host.Options.CgroupRoot, "cpu", host.Options.CgroupParent, "pod-busy", "busy", "cpu.cfs_quota_us"));
        Assert.Equal("50000", quota.Trim());
    }

    [Fact]
    public async Task A_restarted_runtime_removes_containers_left_by_the_previous_one()
    {
        await using var host = new TestRuntime();
        await host.Runtime.CreateAndStartAsync(host.Container("orphan", "sleep", "300"), TestRuntime.Timeout());

        // A second runtime over the same directories stands for the agent after a crash.
        var restarted = new RuncRuntime(host.Options);
        var removed = await restarted.CleanUpOrphansAsync(TestRuntime.Timeout());

        Assert.Contains("orphan", removed);
        var exit = await host.Runtime.WaitAsync("orphan", TestRuntime.Timeout());
        Assert.Equal(137, exit.ExitCode);
        Assert.False(Directory.Exists(Path.Combine(host.Options.RootDirectory, "containers", "orphan")));
        Assert.Empty(await restarted.CleanUpOrphansAsync(TestRuntime.Timeout()));
    }

    [Fact]
    public async Task A_container_outlives_its_runtime_and_a_new_runtime_adopts_it()
    {
        await using var host = new TestRuntime();
        var started = await host.Runtime.CreateAndStartAsync(
            host.Container("survivor", "sh", "-c", "i=0; while [ ! -e /tmp/stop ]; do echo tick $i; i=$((i+1)); sleep 0.1; done; exit 7"), TestRuntime.Timeout());
        await host.Runtime.CreateAndStartAsync(host.Container("brief", "sh", "-c", "sleep 1; echo bye; exit 4"), TestRuntime.Timeout());
        await WaitForLogAsync(host, "survivor", "tick 1");

        // The agent goes away: nobody watches the containers, their shims keep them running and logging.
        await host.Runtime.DisposeAsync();
        await WaitForLogAsync(host, "survivor", "tick 20");
        await WaitForFileAsync(Path.Combine(host.Options.RootDirectory, "containers", "brief", ContainerShim.ExitFile));

        await using var adopter = new RuncRuntime(host.Options);
        var adopted = (await adopter.AdoptAsync(TestRuntime.Timeout())).ToDictionary(c => c.Id);
        Assert.Empty(await adopter.CleanUpOrphansAsync(TestRuntime.Timeout()));
        Assert.Equal(ContainerState.Running, adopted["survivor"].State);
        Assert.Equal(started.Pid, adopted["survivor"].Pid);
        Assert.Equal(started.StartedAt, adopted["survivor"].StartedAt);
        Assert.Equal((ContainerState.Exited, 4), (adopted["brief"].State, adopted["brief"].ExitCode));
        Assert.Contains(" stdout F bye", await File.ReadAllTextAsync(adopter.LogPath("brief")));

        // Exec and the exit go through the new runtime as if it had started the container.
        using var execError = new MemoryStream();
        var touched = await adopter.ExecAsync("survivor", ["sh", "-c", "echo > /tmp/stop"], null, Stream.Null, execError, TestRuntime.Timeout());
        Assert.True(touched == 0, Encoding.UTF8.GetString(execError.ToArray()));
        var exit = await adopter.WaitAsync("survivor", TestRuntime.Timeout());
        Assert.Equal(7, exit.ExitCode);
        await adopter.DeleteAsync("survivor", removeLogs: true, TestRuntime.Timeout());
        await adopter.DeleteAsync("brief", removeLogs: true, TestRuntime.Timeout());
        Assert.Empty(Directory.EnumerateDirectories(Path.Combine(host.Options.RootDirectory, "containers")));
        Assert.Empty(Process.GetProcesses().Where(p => ContainerShim.IsAlive(p.Id, "survivor") || ContainerShim.IsAlive(p.Id, "brief")));
    }

    [Fact]
    public async Task A_container_whose_shim_died_is_reported_killed()
    {
        await using var host = new TestRuntime();
        await host.Runtime.CreateAndStartAsync(host.Container("unshimmed", "sleep", "300"), TestRuntime.Timeout());
        var shim = int.Parse(await File.ReadAllTextAsync(Path.Combine(host.Options.RootDirectory, "containers", "unshimmed", ContainerShim.PidFile)));

        Process.GetProcessById(shim).Kill();

        var exit = await host.Runtime.WaitAsync("unshimmed", TestRuntime.Timeout());
        Assert.Equal(137, exit.ExitCode);
        await host.Runtime.DeleteAsync("unshimmed", removeLogs: true, TestRuntime.Timeout());
    }

    [Fact]
    public async Task Volumes_are_bind_mounted_and_the_image_stays_untouched()
    {
        await using var host = new TestRuntime();
        var volume = Directory.CreateTempSubdirectory("orch-volume-").FullName;
        try
        {
            var config = host.Container("volumes", "sh", "-c", "echo data > /data/out; echo scratch > /tmp/scratch; cat /data/out") with
            {
                Mounts = [new ContainerMount(volume, "/data")],
            };
            await host.Runtime.CreateAndStartAsync(config, TestRuntime.Timeout());

            Assert.Equal(0, (await host.Runtime.WaitAsync("volumes", TestRuntime.Timeout())).ExitCode);
            Assert.Equal("data\n", await File.ReadAllTextAsync(Path.Combine(volume, "out")));
            Assert.False(File.Exists(Path.Combine(host.Image.Path, "tmp", "scratch")));
        }
        finally
        {
            await host.Runtime.DeleteAsync("volumes", removeLogs: true, TestRuntime.Timeout());
            Directory.Delete(volume, recursive: true);
        }
    }

    private static async Task<(int Code, string Stdout, string Stderr)> ExecAsync(TestRuntime host, string id, string[] command, string? stdin = null)
    {
        using var output = new MemoryStream();
        using var error = new MemoryStream();
        using var input = stdin is null ? null : new MemoryStream(Encoding.UTF8.GetBytes(stdin));
        var code = await host.Runtime.ExecAsync(id, command, input, output, error, TestRuntime.Timeout());
        return (code, Encoding.UTF8.GetString(output.ToArray()), Encoding.UTF8.GetString(error.ToArray()));
    }

    private static async Task WaitForFileAsync(string path)
    {
        var watch = Stopwatch.StartNew();
        while (!File.Exists(path))
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(20))
                throw new TimeoutException($"{path} never appeared");
            await Task.Delay(50);
        }
    }

    private static async Task WaitForLogAsync(TestRuntime host, string id, string text)
    {
        var watch = Stopwatch.StartNew();
        while (!(File.Exists(host.Runtime.LogPath(id)) && (await File.ReadAllTextAsync(host.Runtime.LogPath(id))).Contains(text)))
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(20))
                throw new TimeoutException($"'{text}' never appeared in the log of {id}");
            await Task.Delay(50);
        }
    }
}
