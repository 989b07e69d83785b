using Orchestrator.Client;
using Orchestrator.Testing;
using Xunit;

namespace Orchestrator.Node.Agent.Tests;

/// <summary>`kubectl exec` end to end: WebSocket (v5.channel.k8s.io) to the API server, relayed to the agent, runc exec.</summary>
[Collection(AgentCollection.Name)]
public sealed class ExecTests(AgentFixture fixture)
{
    private KubeClient Client => fixture.Client;

    private Kubectl Kubectl => Kubectl.For(fixture.Cluster);

    [Fact]
    public async Task Exec_runs_a_command_in_the_container_returns_its_exit_code_and_takes_stdin()
    {
        var ns = await fixture.NamespaceAsync();
        await Client.CreateAsync(ApiResource.Pods, ns, fixture.Pod("shell", "echo ready > /tmp/mark; sleep 3600"));
        await fixture.WaitPodAsync(ns, "shell", p => JsonFields.Str(p, "status", "phase") == "Running");
        // Through each replica: every one proxies exec to the node.
        foreach (var replica in fixture.Cluster.Replicas)
        {
            var context = fixture.Cluster.ContextOf(replica);
            KubectlResult? hello = null;
            await Eventually.HoldsAsync(async () =>
                (hello = await Kubectl.RunAsync(context, ["exec", "-n", ns, "shell", "--", "cat", "/tmp/mark"], timeout: TimeSpan.FromSeconds(30))).Succeeded,
                TimeSpan.FromSeconds(20), () => hello?.ToString() ?? "");
            Assert.Equal("ready\n", hello!.Output);
        }

        var failing = await Kubectl.RunAsync(fixture.Cluster.ContextOf(fixture.Cluster.Replicas[1]),
            ["exec", "-n", ns, "shell", "--", "sh", "-c", "echo oops >&2; exit 7"], timeout: TimeSpan.FromSeconds(30));
        Assert.Equal(7, failing.ExitCode);
        Assert.Contains("oops", failing.Error);

        var piped = await Kubectl.RunAsync(fixture.Cluster.ContextOf(fixture.Cluster.Replicas[2]),
            ["exec", "-i", "-n", ns, "shell", "--", "sh", "-c", "tr a-z A-Z"], stdin: "hello from stdin\n", timeout: TimeSpan.FromSeconds(30));
        Assert.True(piped.Succeeded, piped.ToString());
        Assert.Equal("HELLO FROM STDIN\n", piped.Output);
    }
}
