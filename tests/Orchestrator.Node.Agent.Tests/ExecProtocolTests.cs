using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Client;
using Orchestrator.Testing;
using Xunit;

namespace Orchestrator.Node.Agent.Tests;

/// <summary>
/// Exec over each WebSocket subprotocol kube-apiserver serves, spoken by a client of our own: binary or base64
/// framing, the opening message, the status (JSON from v4 on, a failure's text before) and the v5 close signal.
/// </summary>
[Collection(AgentCollection.Name)]
public sealed class ExecProtocolTests(AgentFixture fixture)
{
    private KubeClient Client => fixture.Client;

    [Theory]
    [InlineData("v5.channel.k8s.io")]
    [InlineData("v5.base64.channel.k8s.io")]
    [InlineData("v4.channel.k8s.io")]
    [InlineData("v4.base64.channel.k8s.io")]
    [InlineData("channel.k8s.io")]
    [InlineData("base64.channel.k8s.io")]
    public async Task Exec_speaks_the_negotiated_subprotocol_with_its_framing_and_exit_status(string protocol)
    {
        var ns = await fixture.NamespaceAsync();
        await Client.CreateAsync(ApiResource.Pods, ns, fixture.Pod("shell", "sleep 3600"));
        await fixture.WaitPodAsync(ns, "shell", p => p.Str("status", "phase") == "Running");
        var base64 = protocol.Contains("base64", StringComparison.Ordinal);
        var v4OrLater = protocol.StartsWith("v4.", StringComparison.Ordinal) || protocol.StartsWith("v5.", StringComparison.Ordinal);

        // Reads exactly 6 bytes of stdin (no close signal before v5), echoes them upper-cased, writes stderr, exits 3.
        var failing = await ExecAsync(ns, protocol, "head -c 6 | tr a-z A-Z; echo on-stderr >&2; exit 3", "abcdef");
        Assert.Equal(protocol, failing.Protocol);
        Assert.All(failing.Messages, m => Assert.Equal(base64 ? WebSocketMessageType.Text : WebSocketMessageType.Binary, m.Type));
        Assert.Equal((1, ""), (failing.Messages[0].Channel, failing.Messages[0].Text)); // The opening message.
        Assert.Equal("ABCDEF", failing.Stream(1));
        Assert.Equal("on-stderr\n", failing.Stream(2));
        var status = failing.Stream(3);
        if (v4OrLater)
        {
            var json = JsonNode.Parse(status)!;
            Assert.Equal("Failure", json["status"]!.GetValue<string>());
            Assert.Equal("NonZeroExitCode", json["reason"]!.GetValue<string>());
            Assert.Equal("ExitCode", json["details"]!["causes"]![0]!["reason"]!.GetValue<string>());
            Assert.Equal("3", json["details"]!["causes"]![0]!["message"]!.GetValue<string>());
        }
        else
        {
            Assert.Contains("command terminated with non-zero exit code", status);
            Assert.EndsWith("exit code 3", status);
        }

        var succeeding = await ExecAsync(ns, protocol, "echo fine", null);
        Assert.Equal("fine\n", succeeding.Stream(1));
        if (v4OrLater)
            Assert.Equal("Success", JsonNode.Parse(succeeding.Stream(3))!["status"]!.GetValue<string>());
        else
            Assert.DoesNotContain(succeeding.Messages, m => m.Channel == 3);
    }

    [Fact]
    public async Task The_v5_close_signal_ends_the_commands_stdin()
    {
        var ns = await fixture.NamespaceAsync();
        await Client.CreateAsync(ApiResource.Pods, ns, fixture.Pod("shell", "sleep 3600"));
        await fixture.WaitPodAsync(ns, "shell", p => p.Str("status", "phase") == "Running");
        // `wc -c` reads to the end of its input: only the close signal lets it finish.
        var result = await ExecAsync(ns, "v5.channel.k8s.io", "wc -c", "twelve bytes", closeStdin: true);
        Assert.Equal("12", result.Stream(1).Trim());
        Assert.Equal("Success", JsonNode.Parse(result.Stream(3))!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_subprotocol_that_is_not_served_gets_a_400_Status()
    {
        var ns = await fixture.NamespaceAsync();
        using var http = fixture.Cluster.CreateHttpClient(fixture.Cluster.Replicas[0]);
        using var request = WebSocketTesting.UpgradeRequest($"/api/v1/namespaces/{ns}/pods/shell/exec?command=true&stdout=true", "v9.channel.k8s.io");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("Status", body["kind"]!.GetValue<string>());
        Assert.Contains("not supported", body["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Exec_into_a_container_that_has_ended_gets_a_400_Status_not_a_503()
    {
        var ns = await fixture.NamespaceAsync();
        await Client.CreateAsync(ApiResource.Pods, ns, fixture.Pod("done", "true", restartPolicy: "Never"));
        await fixture.WaitPodAsync(ns, "done", p => p.Str("status", "phase") == "Succeeded");
        using var http = fixture.Cluster.CreateHttpClient(fixture.Cluster.Replicas[2]);
        using var request = WebSocketTesting.UpgradeRequest($"/api/v1/namespaces/{ns}/pods/done/exec?command=true&stdout=true", "v5.channel.k8s.io");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("Status", body["kind"]!.GetValue<string>());
        Assert.Equal("unable to upgrade connection: container not found (\"main\")", body["message"]!.GetValue<string>());
    }

    private sealed record Message(WebSocketMessageType Type, int Channel, byte[] Data)
    {
        public string Text => Encoding.UTF8.GetString(Data);
    }

    private sealed record ExecResult(string? Protocol, List<Message> Messages)
    {
        public string Stream(int channel) => string.Concat(Messages.Where(m => m.Channel == channel).Select(m => m.Text));
    }

    private async Task<ExecResult> ExecAsync(string ns, string protocol, string script, string? stdin, bool closeStdin = false)
    {
        var replica = fixture.Cluster.Replicas[Random.Shared.Next(fixture.Cluster.Replicas.Count)];
        using var http = fixture.Cluster.CreateHttpClient(replica);
        var query = string.Join('&', new[] { "sh", "-c", script }.Select(c => "command=" + Uri.EscapeDataString(c)))
                    + $"&stdin={stdin is not null}&stdout=true&stderr=true".ToLowerInvariant();
        var uri = new Uri($"wss://{http.BaseAddress!.Authority}/api/v1/namespaces/{ns}/pods/shell/exec?{query}");
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(protocol);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(uri, http, timeout.Token);
        var base64 = protocol.Contains("base64", StringComparison.Ordinal);
        if (stdin is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(stdin);
            if (base64)
                await socket.SendAsync(Encoding.ASCII.GetBytes("0" + Convert.ToBase64String(bytes)), WebSocketMessageType.Text, true, timeout.Token);
            else
                await socket.SendAsync((byte[])[0, .. bytes], WebSocketMessageType.Binary, true, timeout.Token);
            if (closeStdin)
                await socket.SendAsync(new byte[] { 255, 0 }, WebSocketMessageType.Binary, true, timeout.Token);
        }
        var messages = (await WebSocketTesting.ReceiveUntilCloseAsync(socket, timeout.Token)).Select(m => base64
            ? new Message(m.Type, m.Data[0] - '0', Convert.FromBase64String(Encoding.ASCII.GetString(m.Data, 1, m.Data.Length - 1)))
            : new Message(m.Type, m.Data[0], m.Data[1..])).ToList();
        return new ExecResult(socket.SubProtocol, messages);
    }
}
