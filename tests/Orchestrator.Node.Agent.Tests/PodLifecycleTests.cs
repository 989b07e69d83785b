using System.Diagnostics;
using System.Text.Json.Nodes;
using Orchestrator.Client;
using Orchestrator.Node.Simulated;
using Orchestrator.Testing;
using Xunit;

namespace Orchestrator.Node.Agent.Tests;

/// <summary>The agent against a real cluster: node registration, pods as runc containers, restarts, exits, deletion, pull errors.</summary>
[Collection(AgentCollection.Name)]
public sealed class PodLifecycleTests(AgentFixture fixture)
{
    private KubeClient Client => fixture.Client;

    private static string State(JsonObject pod, string field) =>
        pod.Items("status", "containerStatuses").FirstOrDefault()?["state"]?[field]?.ToJsonString() ?? "";

    private static JsonObject? Container(JsonObject pod) => pod.Items("status", "containerStatuses").FirstOrDefault();

    [Fact]
    public async Task Node_is_ready_with_the_agents_capacity_and_renews_its_lease()
    {
        var node = await Client.GetAsync(ApiResource.Nodes, null, fixture.NodeName);

        Assert.Equal("True", node.Condition("Ready").Str("status"));
        Assert.Equal(Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture), node.Str("status", "capacity", "cpu") ?? "");
        Assert.EndsWith("Ki", node.Str("status", "capacity", "memory") ?? "");
        Assert.Equal("110", node.Str("status", "allocatable", "pods"));
        Assert.StartsWith("runc://", node.Str("status", "nodeInfo", "containerRuntimeVersion") ?? "");
        Assert.Equal("v1.32.4-orchestrator", node.Str("status", "nodeInfo", "kubeletVersion"));
        Assert.Equal(File.ReadAllText("/proc/sys/kernel/osrelease").Trim(), node.Str("status", "nodeInfo", "kernelVersion") ?? "");
        Assert.Equal(fixture.Options.PodCidr, node.Str("spec", "podCIDR") ?? "");
        Assert.Contains(node.Items("status", "addresses"), a => a.Str("type") == "InternalIP");

        var first = (await Client.GetAsync(ApiResource.Leases, NodeManifests.LeaseNamespace, fixture.NodeName)).Str("spec", "renewTime") ?? "";
        await Eventually.HoldsAsync(async () =>
            ((await Client.GetAsync(ApiResource.Leases, NodeManifests.LeaseNamespace, fixture.NodeName)).Str("spec", "renewTime") ?? "") != first,
            TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Pod_runs_as_a_host_process_with_a_pod_ip_and_a_log()
    {
        var ns = await fixture.NamespaceAsync();
        var marker = "marker-" + Guid.NewGuid().ToString("N")[..10];
        await Client.CreateAsync(ApiResource.Pods, ns, fixture.Pod("hello", $"echo hello; sleep 3600; echo {marker}"));

        var pod = await fixture.WaitPodAsync(ns, "hello", p => p.Str("status", "phase") == "Running"
            && p.Condition("Ready").Str("status") == "True");

        var ip = pod.Str("status", "podIP") ?? "";
        Assert.NotEqual("", ip);
        Assert.StartsWith(fixture.Options.PodCidr[..fixture.Options.PodCidr.LastIndexOf('.')], ip);
        Assert.Equal(ip, pod.Items("status", "podIPs").First().Str("ip") ?? "");
        Assert.Equal("127.0.0.1", pod.Str("status", "hostIP"));
        Assert.NotEqual("", pod.Str("status", "startTime") ?? "");
        var status = Container(pod)!;
        Assert.True(status.Bool("ready"));
        Assert.StartsWith("runc://", status.Str("containerID") ?? "");
        Assert.Contains("sha256:", status.Str("imageID") ?? "");
        await AgentFixture.WaitPidsAsync(marker);
        var log = fixture.Agent.Runtime.LogPath((status.Str("containerID") ?? "")["runc://".Length..]);
        await Eventually.HoldsAsync(() => Task.FromResult(File.Exists(log) && File.ReadAllText(log).Contains("hello")), TimeSpan.FromSeconds(10));
        var events = await fixture.WaitEventsAsync(ns, "hello", "Pulled", "Created", "Started");
        Assert.All(events, e => Assert.Equal(fixture.NodeName, e.Str("source", "host") ?? ""));
        Assert.Contains(events, e => e.Str("message") == "Started container main");
    }

    [Fact]
    public async Task Exit_3_with_restart_policy_Never_ends_Failed()
    {
        var ns = await fixture.NamespaceAsync();
        await Client.CreateAsync(ApiResource.Pods, ns, fixture.Pod("three", "exit 3", restartPolicy: "Never"));

        var pod = await fixture.WaitPodAsync(ns, "three", p => p.Str("status", "phase") == "Failed");

        var terminated = Container(pod).Obj("state", "terminated");
        Assert.Equal(3, terminated.Long("exitCode"));
        Assert.Equal("Error", terminated.Str("reason"));
        Assert.Equal(0, Container(pod).Long("restartCount"));
    }

    [Fact]
    public async Task Exit_0_with_restart_policy_OnFailure_ends_Succeeded()
    {
        var ns = await fixture.NamespaceAsync();
        await Client.CreateAsync(ApiResource.Pods, ns, fixture.Pod("done", "echo done", restartPolicy: "OnFailure"));

        var pod = await fixture.WaitPodAsync(ns, "done", p => p.Str("status", "phase") == "Succeeded");

        Assert.Equal("Completed", Container(pod).Str("state", "terminated", "reason"));
    }

    [Fact]
    public async Task A_container_killed_from_outside_is_restarted_and_restartCount_rises()
    {
        var ns = await fixture.NamespaceAsync();
        var marker = "marker-" + Guid.NewGuid().ToString("N")[..10];
        await Client.CreateAsync(ApiResource.Pods, ns, fixture.Pod("victim", $"sleep 3600; echo {marker}"));
        await fixture.WaitPodAsync(ns, "victim", p => p.Str("status", "phase") == "Running" && Container(p).Bool("ready") == true);
        var before = await AgentFixture.WaitPidsAsync(marker);

        foreach (var pid in before)
            Process.GetProcessById(pid).Kill();

        var pod = await fixture.WaitPodAsync(ns, "victim", p => Container(p).Long("restartCount") >= 1
            && Container(p).Bool("ready") == true);
        Assert.Equal(137, Container(pod).Long("lastState", "terminated", "exitCode"));
        await AgentFixture.WaitPidsAsync(marker, notAmong: [.. before]);
    }

    [Fact]
    public async Task A_crashing_container_shows_CrashLoopBackOff()
    {
        var ns = await fixture.NamespaceAsync();
        await Client.CreateAsync(ApiResource.Pods, ns, fixture.Pod("crash", "exit 1"));

        var pod = await fixture.WaitPodAsync(ns, "crash", p => Container(p).Str("state", "waiting", "reason") == "CrashLoopBackOff"
            && Container(p).Long("restartCount") >= 1);

        Assert.Equal("Running", pod.Str("status", "phase"));
        Assert.Equal(1, Container(pod).Long("lastState", "terminated", "exitCode"));
    }

    [Fact]
    public async Task Deleting_a_pod_stops_its_process_within_the_grace_period_and_removes_it()
    {
        var ns = await fixture.NamespaceAsync();
        var marker = "marker-" + Guid.NewGuid().ToString("N")[..10];
        await Client.CreateAsync(ApiResource.Pods, ns, fixture.Pod("doomed", $"sleep 3600; echo {marker}", grace: 3));
        await fixture.WaitPodAsync(ns, "doomed", p => p.Str("status", "phase") == "Running" && Container(p).Bool("ready") == true);
        await AgentFixture.WaitPidsAsync(marker);
        var watch = Stopwatch.StartNew();

        await Client.DeleteAsync(ApiResource.Pods, ns, "doomed");

        await Eventually.HoldsAsync(() => Task.FromResult(AgentFixture.Pids(marker).Count == 0), TimeSpan.FromSeconds(15));
        // sh as pid 1 ignores SIGTERM, so it lives until the SIGKILL at the end of the 3 s grace period (plus our sync latency).
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(3 + 5));
        await Client.WaitGoneAsync(ApiResource.Pods, ns, "doomed", TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_bad_image_gives_ErrImagePull_then_ImagePullBackOff()
    {
        var ns = await fixture.NamespaceAsync();
        await Client.CreateAsync(ApiResource.Pods, ns, fixture.Pod("bad", "true", image: $"{fixture.Registry.Address}/no-such-image:1"));

        var reasons = new HashSet<string>();
        await fixture.WaitPodAsync(ns, "bad", p =>
        {
            reasons.Add(Container(p).Str("state", "waiting", "reason") ?? "");
            return reasons.Contains("ImagePullBackOff");
        });

        var pod = await Client.GetAsync(ApiResource.Pods, ns, "bad");
        Assert.Equal("Pending", pod.Str("status", "phase"));
        Assert.Contains(Container(pod).Str("state", "waiting", "reason") ?? "", new[] { "ErrImagePull", "ImagePullBackOff" });
        var events = await fixture.WaitEventsAsync(ns, "bad", "Pulling", "Failed", "BackOff");
        Assert.Contains(events, e => e.Str("type") == "Warning" && (e.Str("message") ?? "").StartsWith("Failed to pull image", StringComparison.Ordinal));
    }
}
