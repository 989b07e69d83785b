using System.Text.Json.Nodes;
using Orchestrator.Client;
using Orchestrator.Testing;
using Xunit;

namespace Orchestrator.Node.Agent.Tests;

/// <summary>`kubectl logs` and `kubectl top` end to end: API server -> agent endpoint -> log files and cgroups.</summary>
[Collection(AgentCollection.Name)]
public sealed class LogsAndMetricsTests(AgentFixture fixture)
{
    private const string Counter = "i=0; while true; do echo line-$i; i=$((i+1)); sleep 0.5; done";

    private KubeClient Client => fixture.Client;

    private Kubectl Kubectl => Kubectl.For(fixture.Cluster);

    private string Context => fixture.Cluster.ContextOf(fixture.Cluster.Replicas[0]);

    private Task<KubectlResult> RunAsync(params string[] args) => Kubectl.RunAsync(Context, args, timeout: TimeSpan.FromSeconds(30));

    private async Task<string> RunningPodAsync(string name, string script)
    {
        var ns = await fixture.NamespaceAsync();
        await Client.CreateAsync(ApiResource.Pods, ns, fixture.Pod(name, script));
        await fixture.WaitPodAsync(ns, name, p => p.Str("status", "phase") == "Running");
        return ns;
    }

    [Fact]
    public async Task Logs_show_what_the_container_printed_and_tail_gives_the_last_lines()
    {
        var ns = await RunningPodAsync("printer", "echo one; echo two; echo three; echo four; sleep 3600");
        KubectlResult? logs = null;
        await Eventually.HoldsAsync(async () => (logs = await RunAsync("logs", "-n", ns, "printer")).Output.Contains("four"),
            TimeSpan.FromSeconds(20), () => logs?.ToString() ?? "");
        Assert.Equal("one\ntwo\nthree\nfour\n", logs!.Output);

        var tail = await RunAsync("logs", "-n", ns, "printer", "--tail=2");
        Assert.True(tail.Succeeded, tail.ToString());
        Assert.Equal("three\nfour\n", tail.Output);

        var stamped = await RunAsync("logs", "-n", ns, "printer", "--timestamps", "--tail=1");
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z four\n$", stamped.Output);

        var missing = await RunAsync("logs", "-n", ns, "nosuchpod");
        Assert.False(missing.Succeeded);
        Assert.Contains("not found", missing.Error);
    }

    [Fact]
    public async Task Logs_follow_streams_lines_printed_after_it_started()
    {
        var ns = await RunningPodAsync("counter", Counter);
        using var follow = Kubectl.Start(Context, "logs", "-f", "-n", ns, "counter", "--request-timeout=0");
        await Eventually.HoldsAsync(() => Task.FromResult(follow.Lines.Count >= 1), TimeSpan.FromSeconds(20), () => follow.Error);
        var first = follow.Lines.Count;
        // New lines arrive while kubectl keeps running: at least four more within 2 s of printing every 0.5 s.
        await Eventually.HoldsAsync(() => Task.FromResult(follow.Lines.Count >= first + 4), TimeSpan.FromSeconds(15), () => follow.Error);
        var lines = follow.Lines;
        for (var i = 0; i < lines.Count; i++)
            Assert.Equal($"line-{i}", lines[i]);
    }

    [Fact]
    public async Task Logs_previous_shows_the_run_before_a_restart()
    {
        var ns = await fixture.NamespaceAsync();
        var run = Guid.NewGuid().ToString("N")[..6];
        await Client.CreateAsync(ApiResource.Pods, ns, fixture.Pod("crasher", $"echo run-$(date +%s%N)-{run}; sleep 1; exit 1"));
        await fixture.WaitPodAsync(ns, "crasher", p =>
            p.Items("status", "containerStatuses").FirstOrDefault().Long("restartCount") >= 1, seconds: 60);

        KubectlResult? previous = null;
        await Eventually.HoldsAsync(async () => (previous = await RunAsync("logs", "-n", ns, "crasher", "--previous")).Succeeded
            && previous.Output.Contains(run), TimeSpan.FromSeconds(20), () => previous?.ToString() ?? "");
        var current = await RunAsync("logs", "-n", ns, "crasher");
        Assert.True(current.Succeeded, current.ToString());
        Assert.NotEqual(previous!.Output, current.Output);
    }

    [Fact]
    public async Task Multi_container_pod_needs_a_container_name()
    {
        var ns = await fixture.NamespaceAsync();
        var pod = fixture.Pod("two", "sleep 3600");
        var second = (JsonObject)pod["spec"]!["containers"]![0]!.DeepClone();
        second["name"] = "side";
        ((JsonArray)pod["spec"]!["containers"]!).Add(second);
        await Client.CreateAsync(ApiResource.Pods, ns, pod);
        var error = await Assert.ThrowsAsync<KubeApiException>(() => Client.GetSubresourceAsync(ApiResource.Pods, ns, "two", "log"));
        Assert.Equal(400, error.Code);
        Assert.Contains("a container name must be specified for pod two, choose one of: [main side]", error.Message);
    }

    [Fact]
    public async Task Logs_by_label_selector_with_all_containers_show_every_container_of_every_matching_pod()
    {
        var ns = await fixture.NamespaceAsync();
        foreach (var name in new[] { "duo-a", "duo-b" })
        {
            var pod = fixture.Pod(name, $"echo first-of-{name}; sleep 3600");
            pod["metadata"]!["labels"] = new JsonObject { ["app"] = "duo" };
            var second = (JsonObject)pod["spec"]!["containers"]![0]!.DeepClone();
            second["name"] = "side";
            second["command"] = new JsonArray("sh", "-c", $"echo second-of-{name}; sleep 3600");
            ((JsonArray)pod["spec"]!["containers"]!).Add(second);
            await Client.CreateAsync(ApiResource.Pods, ns, pod);
        }
        // A pod the selector leaves out.
        await Client.CreateAsync(ApiResource.Pods, ns, fixture.Pod("other", "echo not-selected; sleep 3600"));
        foreach (var name in new[] { "duo-a", "duo-b", "other" })
            await fixture.WaitPodAsync(ns, name, p => p.Str("status", "phase") == "Running");

        string[] expected = ["first-of-duo-a", "second-of-duo-a", "first-of-duo-b", "second-of-duo-b"];
        KubectlResult? logs = null;
        await Eventually.HoldsAsync(async () =>
        {
            logs = await RunAsync("logs", "-n", ns, "-l", "app=duo", "--all-containers");
            return logs.Succeeded && expected.All(logs.Output.Contains);
        }, TimeSpan.FromSeconds(20), () => logs?.ToString() ?? "");
        Assert.Equal(expected.Order(), logs!.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order());

        var prefixed = await RunAsync("logs", "-n", ns, "-l", "app=duo", "--all-containers", "--prefix");
        Assert.True(prefixed.Succeeded, prefixed.ToString());
        Assert.Contains("[pod/duo-a/side] second-of-duo-a", prefixed.Output);
        Assert.Contains("[pod/duo-b/main] first-of-duo-b", prefixed.Output);
    }

    [Fact]
    public async Task Top_shows_usage_that_rises_for_a_pod_burning_cpu()
    {
        var ns = await RunningPodAsync("burner", "while :; do :; done");
        await fixture.WaitPodAsync(ns, "burner", p => p.Str("status", "phase") == "Running");

        // CPU is a rate between two samples (every 3 s): a just-started agent reports 0m until its second one.
        KubectlResult? nodes = null;
        string[] NodeFields() => nodes!.Output.Split('\n').First(l => l.StartsWith(fixture.NodeName, StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);
        await Eventually.HoldsAsync(async () => (nodes = await RunAsync("top", "nodes", "--no-headers")).Succeeded
            && nodes.Output.Contains(fixture.NodeName) && NodeFields()[1] != "0m", TimeSpan.FromSeconds(30), () => nodes?.ToString() ?? "");
        Assert.NotEqual("0Mi", NodeFields()[3]);

        KubectlResult? pods = null;
        await Eventually.HoldsAsync(async () =>
        {
            pods = await RunAsync("top", "pods", "-n", ns, "--no-headers");
            if (!pods.Succeeded || !pods.Output.Contains("burner"))
                return false;
            var fields = pods.Output.Split('\n').First(l => l.StartsWith("burner", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // A busy loop uses most of a core: well above 300m.
            return fields[1].EndsWith('m') && int.Parse(fields[1][..^1]) > 300;
        }, TimeSpan.FromSeconds(40), () => pods?.ToString() ?? "");

        // A shell loop's working set is well under the 1 Mi kubectl rounds to: check the PodMetrics themselves.
        var metrics = await Client.GetAsync(new ApiResource("metrics.k8s.io", "v1beta1", "pods", Namespaced: true), ns, "burner");
        var memory = metrics.Items("containers").Single().Str("usage", "memory") ?? "";
        Assert.EndsWith("Ki", memory);
        Assert.True(long.Parse(memory[..^2]) > 0, memory);
    }

    [Fact]
    public async Task Unreachable_agent_gives_503_and_top_skips_its_node()
    {
        var name = "gone-" + Guid.NewGuid().ToString("N")[..6];
        var node = await Client.CreateAsync(ApiResource.Nodes, null, new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Node", ["metadata"] = new JsonObject { ["name"] = name },
        });
        // A closed port on loopback: connection refused at once.
        var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        node["status"] = new JsonObject
        {
            ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }),
            ["addresses"] = new JsonArray(new JsonObject { ["type"] = "InternalIP", ["address"] = "127.0.0.1" }),
            ["daemonEndpoints"] = new JsonObject { ["kubeletEndpoint"] = new JsonObject { ["Port"] = port } },
        };
        await Client.UpdateAsync(ApiResource.Nodes, node, subresource: "status");
        try
        {
            var ns = await fixture.NamespaceAsync();
            var pod = fixture.Pod("elsewhere", "sleep 1");
            pod["spec"]!["nodeName"] = name;
            await Client.CreateAsync(ApiResource.Pods, ns, pod);

            var error = await Assert.ThrowsAsync<KubeApiException>(() => Client.GetSubresourceAsync(ApiResource.Pods, ns, "elsewhere", "log"));
            Assert.Equal(503, error.Code);

            var top = await RunAsync("top", "nodes", "--no-headers");
            Assert.True(top.Succeeded, top.ToString());
            // kubectl lists every node and shows <unknown> for one without metrics.
            Assert.Contains("<unknown>", top.Output.Split('\n').Single(l => l.StartsWith(name, StringComparison.Ordinal)));
        }
        finally
        {
            await Client.DeleteAsync(ApiResource.Nodes, null, name);
        }
    }
}
