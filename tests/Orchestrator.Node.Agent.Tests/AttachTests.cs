using System.Text.Json.Nodes;
using Orchestrator.Client;
using Orchestrator.Testing;
using Xunit;

namespace Orchestrator.Node.Agent.Tests;

/// <summary>
/// `kubectl attach` and `kubectl run -i/-it --rm` end to end: WebSocket to a replica, relayed to the agent, which
/// joins the container's main process through its shim's attach socket.
/// </summary>
[Collection(AgentCollection.Name)]
public sealed class AttachTests(AgentFixture fixture)
{
    private KubeClient Client => fixture.Client;

    private Kubectl Kubectl => Kubectl.For(fixture.Cluster);

    [Fact]
    public async Task Attach_with_stdin_types_into_the_main_process_and_ends_when_it_exits_through_every_replica()
    {
        var ns = await fixture.NamespaceAsync();
        for (var i = 0; i < fixture.Cluster.Replicas.Count; i++)
        {
            // stdinOnce: the end of kubectl's stdin is the end of the container's, so `while read` ends and says bye.
            var pod = StdinPod($"reader-{i}", "while read line; do echo \"got $line\"; done; echo bye", tty: false);
            await Client.CreateAsync(ApiResource.Pods, ns, pod);
            await fixture.WaitPodAsync(ns, $"reader-{i}", p => p.Str("status", "phase") == "Running");
            var attach = await Kubectl.RunAsync(fixture.Cluster.ContextOf(fixture.Cluster.Replicas[i]),
                ["attach", "-i", "-n", ns, $"reader-{i}"], stdin: "hello\nworld\n", timeout: TimeSpan.FromSeconds(40));
            Assert.True(attach.Succeeded, attach.ToString());
            Assert.Contains("got hello\ngot world\nbye\n", attach.Output);
            await fixture.WaitPodAsync(ns, $"reader-{i}", p => p.Str("status", "phase") == "Succeeded");
        }
    }

    [Fact]
    public async Task Attach_without_stdin_streams_what_the_container_writes_from_then_on()
    {
        var ns = await fixture.NamespaceAsync();
        await Client.CreateAsync(ApiResource.Pods, ns, fixture.Pod("ticker", "i=0; while true; do echo tick $i; echo tock $i >&2; i=$((i+1)); sleep 0.3; done"));
        await fixture.WaitPodAsync(ns, "ticker", p => p.Str("status", "phase") == "Running");

        using var attach = Kubectl.Start(fixture.Cluster.ContextOf(fixture.Cluster.Replicas[1]), "attach", "-n", ns, "ticker");
        await Eventually.HoldsAsync(() => Task.FromResult(attach.Lines.Count(l => l.StartsWith("tick ", StringComparison.Ordinal)) >= 3),
            TimeSpan.FromSeconds(30), () => string.Join('\n', attach.Lines) + attach.Error);
        // stderr comes on stderr; the ticks are consecutive (nothing lost between chunks).
        await Eventually.HoldsAsync(() => Task.FromResult(attach.Error.Contains("tock ", StringComparison.Ordinal)), TimeSpan.FromSeconds(10), () => attach.Error);
        var ticks = attach.Lines.Where(l => l.StartsWith("tick ", StringComparison.Ordinal)).Select(l => int.Parse(l[5..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(ticks[0], ticks.Count), ticks);
    }

    [Fact]
    public async Task Attach_to_a_terminal_container_passes_input_and_window_size()
    {
        var ns = await fixture.NamespaceAsync();
        // The container's shell waits for a line on its terminal; the first attach's terminal is 100x33.
        await Client.CreateAsync(ApiResource.Pods, ns, StdinPod("term", "sleep 2; stty size; tty; echo done", tty: true));
        await fixture.WaitPodAsync(ns, "term", p => p.Str("status", "phase") == "Running");
        var session = await Kubectl.RunInTerminalAsync(fixture.Cluster.ContextOf(fixture.Cluster.Replicas[2]),
            ["attach", "-it", "-n", ns, "term"], columns: 100, rows: 33, timeout: TimeSpan.FromSeconds(40));
        Assert.True(session.Succeeded, session.ToString());
        Assert.Contains("33 100", session.Output);
        Assert.Contains("/dev/pts/", session.Output);
        Assert.Contains("done", session.Output);
    }

    [Fact]
    public async Task Run_interactive_with_rm_types_stdin_prints_the_output_returns_the_exit_code_and_deletes_the_pod()
    {
        var ns = await fixture.NamespaceAsync();
        var context = fixture.Cluster.ContextOf(fixture.Cluster.Replicas[0]);
        var run = await Kubectl.RunAsync(context,
            ["run", "-i", "--rm", "--restart=Never", "-n", ns, "--image", fixture.Image, "once", "--", "sh", "-c", "read line; echo \"got $line\"; exit 3"],
            stdin: "hello\n", timeout: TimeSpan.FromSeconds(60));
        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains("got hello", run.Output);
        await Eventually.HoldsAsync(async () => (await Client.ListAsync(ApiResource.Pods, ns)).Items.Count == 0, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Run_with_a_terminal_and_rm_prints_on_the_terminal_and_deletes_the_pod()
    {
        var ns = await fixture.NamespaceAsync();
        var context = fixture.Cluster.ContextOf(fixture.Cluster.Replicas[1]);
        // The command outlives kubectl's wait for Running, so its output reaches the attached terminal (not only the log).
        var run = await Kubectl.RunInTerminalAsync(context,
            ["run", "-it", "--rm", "--restart=Never", "-n", ns, "--image", fixture.Image, "interactive", "--", "sh", "-c", "sleep 3; tty; echo hello-from-run"],
            columns: 90, rows: 30, timeout: TimeSpan.FromSeconds(60));
        Assert.True(run.Succeeded, run.ToString());
        Assert.Contains("hello-from-run", run.Output);
        Assert.Contains("/dev/pts/", run.Output);
        Assert.Contains("deleted", run.Output);
        await Eventually.HoldsAsync(async () => (await Client.ListAsync(ApiResource.Pods, ns)).Items.Count == 0, TimeSpan.FromSeconds(30));
    }

    private JsonObject StdinPod(string name, string script, bool tty)
    {
        var pod = fixture.Pod(name, script, restartPolicy: "Never");
        var container = (JsonObject)pod["spec"]!["containers"]![0]!;
        container["stdin"] = true;
        container["stdinOnce"] = true;
        container["tty"] = tty;
        return pod;
    }
}
