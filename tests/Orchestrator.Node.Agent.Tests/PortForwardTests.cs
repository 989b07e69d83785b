using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Client;
using Orchestrator.Testing;
using Xunit;

namespace Orchestrator.Node.Agent.Tests;

/// <summary>
/// `kubectl port-forward` end to end against busybox httpd in real containers: kubectl's SPDY tunneled in a
/// WebSocket (its default), plain SPDY (its fallback), and the channel WebSocket protocol other clients speak; each
/// replica relays to the node agent, which dials the port inside the pod's network namespace.
/// </summary>
[Collection(AgentCollection.Name)]
public sealed class PortForwardTests(AgentFixture fixture)
{
    private KubeClient Client => fixture.Client;

    private Kubectl Kubectl => Kubectl.For(fixture.Cluster);

    [Fact]
    public async Task Port_forward_fetches_pages_from_an_httpd_pod_through_every_replica()
    {
        var ns = await fixture.NamespaceAsync();
        await StartWebPodAsync(ns, "web");
        for (var i = 0; i < fixture.Cluster.Replicas.Count; i++)
        {
            using var forward = Kubectl.Start(fixture.Cluster.ContextOf(fixture.Cluster.Replicas[i]), "port-forward", "-n", ns, "pod/web", ":80");
            var port = (await forward.ForwardedPortsAsync(1))[80];
            // Several connections at once, each its own pair of streams.
            var pages = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => FetchAsync(forward, port, "/")));
            Assert.All(pages, page => Assert.Equal("page of web on 80\n", page));
            // A body larger than one frame or message comes through whole.
            var big = await FetchAsync(forward, port, "/big.txt");
            Assert.Equal(200_000, big.Length);
        }
    }

    [Fact]
    public async Task Plain_SPDY_forwards_several_ports_when_kubectl_does_not_use_websockets()
    {
        var ns = await fixture.NamespaceAsync();
        await StartWebPodAsync(ns, "two", 80, 8081);
        // kubectl 1.32 tunnels SPDY in a WebSocket unless told not to; this is also its fallback when the upgrade fails.
        using var forward = Kubectl.Start(fixture.Cluster.ContextOf(fixture.Cluster.Replicas[1]),
            new Dictionary<string, string> { ["KUBECTL_PORT_FORWARD_WEBSOCKETS"] = "false" }, "port-forward", "-n", ns, "pod/two", ":80", ":8081");
        var ports = await forward.ForwardedPortsAsync(2);
        Assert.Equal("page of two on 80\n", await FetchAsync(forward, ports[80], "/"));
        Assert.Equal("page of two on 8081\n", await FetchAsync(forward, ports[8081], "/"));
    }

    [Fact]
    public async Task Port_forward_resolves_a_deployment_and_a_service_to_a_pod()
    {
        var ns = await fixture.NamespaceAsync();
        var deployment = TestDeployments.Busybox("site", 1);
        var container = deployment["spec"]!["template"]!["spec"]!["containers"]![0]!.AsObject();
        container["image"] = fixture.Image;
        container["command"] = new JsonArray("sh", "-c", WebScript("site", 80));
        await Client.CreateAsync(ApiResource.Deployments, ns, deployment);
        await Client.CreateAsync(ApiResource.Services, ns, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Service",
            ["metadata"] = new JsonObject { ["name"] = "site" },
            ["spec"] = new JsonObject
            {
                ["selector"] = new JsonObject { ["app"] = "site" },
                ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["port"] = 8000, ["targetPort"] = 80 }),
            },
        });
        await Eventually.HoldsAsync(async () => (await Client.ListAsync(ApiResource.Pods, ns)).Items.Any(p => p.Str("status", "phase") == "Running"),
            TimeSpan.FromSeconds(60));
        var context = fixture.Cluster.ContextOf(fixture.Cluster.Replicas[2]);
        using (var forward = Kubectl.Start(context, "port-forward", "-n", ns, "deploy/site", ":80"))
            Assert.Equal("page of site on 80\n", await FetchAsync(forward, (await forward.ForwardedPortsAsync(1))[80], "/"));
        // The service's port 8000 is its pods' port 80 (kubectl maps it).
        using (var forward = Kubectl.Start(context, "port-forward", "-n", ns, "svc/site", ":8000"))
            Assert.Equal("page of site on 80\n", await FetchAsync(forward, (await forward.ForwardedPortsAsync(1))[80], "/"));
    }

    [Fact]
    public async Task A_port_nothing_listens_on_is_reported_by_kubectl()
    {
        var ns = await fixture.NamespaceAsync();
        await StartWebPodAsync(ns, "web");
        using var forward = Kubectl.Start(fixture.Cluster.ContextOf(fixture.Cluster.Replicas[0]), "port-forward", "-n", ns, "pod/web", ":9999");
        var port = (await forward.ForwardedPortsAsync(1))[9999];
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => http.GetStringAsync($"http://127.0.0.1:{port}/"));
        await Eventually.HoldsAsync(() => Task.FromResult(forward.Error.Contains("connection refused", StringComparison.OrdinalIgnoreCase)),
            TimeSpan.FromSeconds(20), () => forward.Error);
        Assert.Contains("9999", forward.Error);
    }

    [Theory]
    [InlineData("v4.channel.k8s.io")]
    [InlineData("v4.base64.channel.k8s.io")]
    public async Task The_channel_protocol_opens_each_port_and_carries_an_http_exchange(string protocol)
    {
        var ns = await fixture.NamespaceAsync();
        await StartWebPodAsync(ns, "web", 80, 8081);
        var replica = fixture.Cluster.Replicas[Random.Shared.Next(fixture.Cluster.Replicas.Count)];
        using var http = fixture.Cluster.CreateHttpClient(replica);
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(protocol);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(new Uri($"wss://{http.BaseAddress!.Authority}/api/v1/namespaces/{ns}/pods/web/portforward?ports=80,8081"), http, timeout.Token);
        Assert.Equal(protocol, socket.SubProtocol);
        var base64 = protocol.Contains("base64", StringComparison.Ordinal);
        // Port i is data channel 2i and error channel 2i+1; an HTTP/1.0 request on each port's data channel.
        foreach (var channel in new byte[] { 0, 2 })
        {
            var request = Encoding.ASCII.GetBytes("GET / HTTP/1.0\r\n\r\n");
            if (base64)
                await socket.SendAsync(Encoding.ASCII.GetBytes((char)('0' + channel) + Convert.ToBase64String(request)), WebSocketMessageType.Text, true, timeout.Token);
            else
                await socket.SendAsync((byte[])[channel, .. request], WebSocketMessageType.Binary, true, timeout.Token);
        }
        var channels = new Dictionary<int, List<byte[]>>();
        foreach (var (type, bytes) in await WebSocketTesting.ReceiveUntilCloseAsync(socket, timeout.Token))
        {
            Assert.Equal(base64 ? WebSocketMessageType.Text : WebSocketMessageType.Binary, type);
            var (channel, data) = base64 ? (bytes[0] - '0', Convert.FromBase64String(Encoding.ASCII.GetString(bytes, 1, bytes.Length - 1))) : (bytes[0], bytes[1..]);
            if (!channels.TryGetValue(channel, out var list))
                channels[channel] = list = [];
            list.Add(data);
        }
        // Every channel's first message is its port, little-endian; the errors channels say nothing more.
        Assert.Equal([80, 0], channels[0][0]);
        Assert.Equal([80, 0], channels[1][0]);
        Assert.Equal([0x91, 0x1f], channels[2][0]);
        Assert.Equal([0x91, 0x1f], channels[3][0]);
        foreach (var errors in new[] { channels[1], channels[3] })
        {
            var error = Encoding.UTF8.GetString([.. errors.Skip(1).SelectMany(d => d)]);
            Assert.True(error.Length == 0, error);
        }
        Assert.EndsWith("page of web on 80\n", Encoding.ASCII.GetString([.. channels[0].Skip(1).SelectMany(d => d)]));
        Assert.EndsWith("page of web on 8081\n", Encoding.ASCII.GetString([.. channels[2].Skip(1).SelectMany(d => d)]));
    }

    [Fact]
    public async Task A_request_without_an_upgrade_gets_a_400_Status()
    {
        var ns = await fixture.NamespaceAsync();
        using var http = fixture.Cluster.CreateHttpClient(fixture.Cluster.Replicas[0]);
        using var response = await http.PostAsync($"/api/v1/namespaces/{ns}/pods/web/portforward", null);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("Status", body["kind"]!.GetValue<string>());
        Assert.Contains("Upgrade request required", body["message"]!.GetValue<string>());
    }

    /// <summary>busybox httpd on each port, serving a page naming the pod and port, and a 200 kB file.</summary>
    private async Task StartWebPodAsync(string ns, string name, params int[] ports)
    {
        if (ports.Length == 0)
            ports = [80];
        var pod = fixture.Pod(name, string.Join(" & ", ports.Select(p => WebScript(name, p))) + "; wait");
        await Client.CreateAsync(ApiResource.Pods, ns, pod);
        await fixture.WaitPodAsync(ns, name, p => p.Str("status", "phase") == "Running");
    }

    private static string WebScript(string name, int port) =>
        $"(mkdir -p /www{port} && echo 'page of {name} on {port}' > /www{port}/index.html && "
        + $"head -c 200000 /dev/zero | tr '\\0' x > /www{port}/big.txt && exec httpd -f -p {port} -h /www{port})";

    /// <summary>GET through kubectl's local port; a failure says what kubectl wrote to stderr.</summary>
    private static async Task<string> FetchAsync(KubectlStream forward, int port, string path)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        try
        {
            return await http.GetStringAsync($"http://127.0.0.1:{port}{path}");
        }
        catch (HttpRequestException e)
        {
            throw new HttpRequestException($"{e.Message}; kubectl port-forward said: {forward.Error}", e);
        }
    }
}
