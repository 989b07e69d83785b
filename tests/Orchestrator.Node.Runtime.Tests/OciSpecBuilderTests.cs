using System.Text.Json.Nodes;
using Orchestrator.Node.Runtime;
using Xunit;

namespace Orchestrator.Node.Runtime.Tests;

public sealed class OciSpecBuilderTests
{
    private static ContainerConfig Config(ContainerResources resources) => new()
    {
        Id = "c1",
        PodId = "p1",
        ImageRootfs = "/images/busybox",
        Command = ["sleep", "1"],
        NetworkNamespacePath = "/var/run/netns/orch-p1",
        Mounts = [new ContainerMount("/var/lib/volumes/config", "/etc/config", ReadOnly: true)],
        Resources = resources,
    };

    [Fact]
    public void Limits_become_cgroup_resources_like_kubelet_sets_them()
    {
        var spec = OciSpecBuilder.Build(Config(new() { MemoryLimitBytes = 64 << 20, CpuLimitMillicores = 250, CpuRequestMillicores = 100 }), "/b/rootfs", "/orchestrator/p1/c1");
        var resources = spec["linux"]!["resources"]!;

        Assert.Equal(64L << 20, (long)resources["memory"]!["limit"]!);
        Assert.Equal(64L << 20, (long)resources["memory"]!["swap"]!);
        Assert.Equal(25_000L, (long)resources["cpu"]!["quota"]!);
        Assert.Equal(100_000L, (long)resources["cpu"]!["period"]!);
        Assert.Equal(102L, (long)resources["cpu"]!["shares"]!);
        Assert.Equal("/orchestrator/p1/c1", (string)spec["linux"]!["cgroupsPath"]!);
    }

    [Fact]
    public void Without_limits_there_is_no_quota_and_minimal_shares()
    {
        var resources = OciSpecBuilder.Build(Config(new()), "/b/rootfs", "/x")["linux"]!["resources"]!;

        Assert.Null(resources["memory"]);
        Assert.Null(resources["cpu"]!["quota"]);
        Assert.Equal(2L, (long)resources["cpu"]!["shares"]!);
    }

    [Fact]
    public void The_pod_network_namespace_is_joined_by_path_and_the_rest_are_new()
    {
        var spec = OciSpecBuilder.Build(Config(new()), "/b/rootfs", "/x");
        var namespaces = spec["linux"]!["namespaces"]!.AsArray().Select(n => ((string)n!["type"]!, (string?)n["path"])).ToArray();

        Assert.Equal([("pid", null), ("ipc", null), ("uts", null), ("mount", null), ("network", "/var/run/netns/orch-p1")], namespaces);
    }

    [Fact]
    public void Process_is_hardened_and_volumes_are_bind_mounts()
    {
        var spec = OciSpecBuilder.Build(Config(new()), "/b/rootfs", "/x");
        var process = spec["process"]!;

        Assert.True((bool)process["noNewPrivileges"]!);
        Assert.Contains("CAP_NET_BIND_SERVICE", process["capabilities"]!["bounding"]!.AsArray().Select(c => (string)c!));
        Assert.DoesNotContain("CAP_SYS_ADMIN", process["capabilities"]!["bounding"]!.AsArray().Select(c => (string)c!));
        Assert.Equal(["sleep", "1"], process["args"]!.AsArray().Select(a => (string)a!));
        Assert.Equal("/b/rootfs", (string)spec["root"]!["path"]!);
        var volume = spec["mounts"]!.AsArray().Single(m => (string)m!["destination"]! == "/etc/config")!;
        Assert.Equal("bind", (string)volume["type"]!);
        Assert.Contains("ro", volume["options"]!.AsArray().Select(o => (string)o!));
        Assert.Contains("/proc/kcore", spec["linux"]!["maskedPaths"]!.AsArray().Select(p => (string)p!));
        Assert.Contains(spec["mounts"]!.AsArray(), m => (string)m!["destination"]! == "/sys" && m["options"]!.AsArray().Any(o => (string)o! == "ro"));
    }
}
