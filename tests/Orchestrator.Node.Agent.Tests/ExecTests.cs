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
        await fixture.WaitPodAsync(ns, "shell", p => p.Str("status", "phase") == "Running");
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

    [Fact]
    public async Task Exec_with_a_terminal_runs_the_command_on_a_pty_of_the_clients_size_and_returns_its_exit_code()
    {
        var ns = await fixture.NamespaceAsync();
        await Client.CreateAsync(ApiResource.Pods, ns, fixture.Pod("terminal", "sleep 3600"));
        await fixture.WaitPodAsync(ns, "terminal", p => p.Str("status", "phase") == "Running");

        // `kubectl exec -it` on a 97x31 terminal: the command sees a terminal of that size, its stderr comes on the
        // terminal too, and kubectl exits with the command's code.
        var session = await Kubectl.RunInTerminalAsync(fixture.Cluster.ContextOf(fixture.Cluster.Replicas[0]),
            ["exec", "-it", "-n", ns, "terminal", "--", "sh", "-c", "tty; stty size; echo on-stderr >&2; exit 5"],
            columns: 97, rows: 31, timeout: TimeSpan.FromSeconds(60));
        Assert.True(session.ExitCode == 5, session.ToString());
        Assert.Contains("/dev/pts/", session.Output);
        Assert.Contains("31 97", session.Output);
        Assert.Contains("on-stderr", session.Output);
    }

    [Fact]
    public async Task Exec_with_a_terminal_passes_window_size_changes_on_to_the_command()
    {
        var ns = await fixture.NamespaceAsync();
        await Client.CreateAsync(ApiResource.Pods, ns, fixture.Pod("resized", "sleep 3600"));
        await fixture.WaitPodAsync(ns, "resized", p => p.Str("status", "phase") == "Running");

        // The window grows 5 s after kubectl starts; the command waits (at most 20 s) for its size to change.
        const string script = "stty size; i=0; while [ \"$(stty size)\" = '31 97' ] && [ $i -lt 100 ]; do sleep 0.2; i=$((i+1)); done; stty size";
        var session = await Kubectl.RunInTerminalAsync(fixture.Cluster.ContextOf(fixture.Cluster.Replicas[1]),
            ["exec", "-it", "-n", ns, "resized", "--", "sh", "-c", script],
            columns: 97, rows: 31, resize: (TimeSpan.FromSeconds(5), 120, 40), timeout: TimeSpan.FromSeconds(60));
        Assert.True(session.Succeeded, session.ToString());
        Assert.Contains("31 97", session.Output);
        Assert.Contains("40 120", session.Output);
    }

    [Fact]
    public async Task Exec_with_a_terminal_ends_the_command_when_the_client_goes_away()
    {
        var ns = await fixture.NamespaceAsync();
        await Client.CreateAsync(ApiResource.Pods, ns, fixture.Pod("abandoned", "sleep 3600"));
        await fixture.WaitPodAsync(ns, "abandoned", p => p.Str("status", "phase") == "Running");
        var context = fixture.Cluster.ContextOf(fixture.Cluster.Replicas[2]);

        // kubectl is killed (its timeout) while the command runs: the command must not stay behind in the container.
        var running = Kubectl.RunInTerminalAsync(context, ["exec", "-it", "-n", ns, "abandoned", "--", "sleep", "1234"],
            columns: 80, rows: 24, timeout: TimeSpan.FromSeconds(10));
        KubectlResult? ps = null;
        await Eventually.HoldsAsync(async () =>
            (ps = await Kubectl.RunAsync(context, ["exec", "-n", ns, "abandoned", "--", "ps"], timeout: TimeSpan.FromSeconds(30))).Output.Contains("sleep 1234", StringComparison.Ordinal),
            TimeSpan.FromSeconds(8), () => ps?.ToString() ?? "");
        var session = await running;
        Assert.True(session.ExitCode == -1, session.ToString());
        await Eventually.HoldsAsync(async () =>
            (ps = await Kubectl.RunAsync(context, ["exec", "-n", ns, "abandoned", "--", "ps"], timeout: TimeSpan.FromSeconds(30))).Succeeded
            && !ps.Output.Contains("sleep 1234", StringComparison.Ordinal),
            TimeSpan.FromSeconds(20), () => ps?.ToString() ?? "");
    }
}
