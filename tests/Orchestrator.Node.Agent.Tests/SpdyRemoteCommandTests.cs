using Orchestrator.Client;
using Orchestrator.Testing;
using Xunit;

namespace Orchestrator.Node.Agent.Tests;

/// <summary>
/// `kubectl exec` and `kubectl attach` over SPDY/3.1, kubectl's fallback (and older clients' only way) when the
/// WebSocket upgrade is not used: KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false makes kubectl 1.32 take it.
/// </summary>
[Collection(AgentCollection.Name)]
public sealed class SpdyRemoteCommandTests(AgentFixture fixture)
{
    private static readonly Dictionary<string, string> NoWebSockets = new() { ["KUBECTL_REMOTE_COMMAND_WEBSOCKETS"] = "false" };

    private KubeClient Client => fixture.Client;

    private Kubectl Kubectl => Kubectl.For(fixture.Cluster);

    [Fact]
    public async Task Exec_over_SPDY_passes_stdin_output_stderr_and_the_exit_code_through_every_replica()
    {
        var ns = await fixture.NamespaceAsync();
        await Client.CreateAsync(ApiResource.Pods, ns, fixture.Pod("shell", "sleep 3600"));
        await fixture.WaitPodAsync(ns, "shell", p => p.Str("status", "phase") == "Running");
        foreach (var replica in fixture.Cluster.Replicas)
        {
            var piped = await Kubectl.RunAsync(fixture.Cluster.ContextOf(replica),
                ["exec", "-i", "-n", ns, "shell", "--", "sh", "-c", "tr a-z A-Z; echo to-stderr >&2; exit 4"],
                stdin: "hello over spdy\n", timeout: TimeSpan.FromSeconds(30), environment: NoWebSockets);
            Assert.True(piped.ExitCode == 4, piped.ToString());
            Assert.Equal("HELLO OVER SPDY\n", piped.Output);
            Assert.Contains("to-stderr", piped.Error);
        }
        // More than one data frame each way.
        var big = new string('x', 300_000) + "\n";
        var counted = await Kubectl.RunAsync(fixture.Cluster.ContextOf(fixture.Cluster.Replicas[0]),
            ["exec", "-i", "-n", ns, "shell", "--", "sh", "-c", "wc -c; head -c 100000 /dev/zero | tr '\\0' y"],
            stdin: big, timeout: TimeSpan.FromSeconds(30), environment: NoWebSockets);
        Assert.True(counted.Succeeded, counted.ToString());
        Assert.StartsWith("300001\n", counted.Output);
        Assert.Equal(100_000, counted.Output.Count(c => c == 'y'));
    }

    [Fact]
    public async Task Exec_over_SPDY_with_a_terminal_has_the_clients_size()
    {
        var ns = await fixture.NamespaceAsync();
        await Client.CreateAsync(ApiResource.Pods, ns, fixture.Pod("terminal", "sleep 3600"));
        await fixture.WaitPodAsync(ns, "terminal", p => p.Str("status", "phase") == "Running");
        var session = await Kubectl.RunInTerminalAsync(fixture.Cluster.ContextOf(fixture.Cluster.Replicas[1]),
            ["exec", "-it", "-n", ns, "terminal", "--", "sh", "-c", "tty; stty size; exit 6"],
            columns: 91, rows: 29, timeout: TimeSpan.FromSeconds(60), environment: NoWebSockets);
        Assert.True(session.ExitCode == 6, session.ToString());
        Assert.Contains("/dev/pts/", session.Output);
        Assert.Contains("29 91", session.Output);
    }

    [Fact]
    public async Task Attach_over_SPDY_types_into_the_main_process()
    {
        var ns = await fixture.NamespaceAsync();
        var pod = fixture.Pod("reader", "while read line; do echo \"got $line\"; done; echo bye");
        var container = pod["spec"]!["containers"]![0]!.AsObject();
        container["stdin"] = true;
        container["stdinOnce"] = true;
        await Client.CreateAsync(ApiResource.Pods, ns, pod);
        await fixture.WaitPodAsync(ns, "reader", p => p.Str("status", "phase") == "Running");
        var attach = await Kubectl.RunAsync(fixture.Cluster.ContextOf(fixture.Cluster.Replicas[2]),
            ["attach", "-v=8", "-i", "-n", ns, "reader"], stdin: "one\ntwo\n", timeout: TimeSpan.FromSeconds(40), environment: NoWebSockets);
        Assert.True(attach.Succeeded, attach.ToString());
        Assert.Contains("got one\ngot two\nbye\n", attach.Output);
        // kubectl's request log shows which way it went: the SPDY upgrade, answered with v4.
        Assert.Contains("Upgrade: SPDY/3.1", attach.Error);
        Assert.Contains("X-Stream-Protocol-Version: v4.channel.k8s.io", attach.Error);
    }
}
