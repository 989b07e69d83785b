using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Chaos.Proxy;

namespace Orchestrator.Chaos.Tests;

/// <summary>
/// The fault proxy driven only through its Toxiproxy HTTP API (raw JSON, as a Toxiproxy client sends it), in front of
/// a real TCP echo server: every toxic changes what a client on the other side sees, and removing it undoes that.
/// </summary>
public sealed class ProxyTests : IAsyncLifetime
{
    private ProxyServer server = null!;
    private HttpClient api = null!;
    private readonly TcpListener echo = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();

    public async Task InitializeAsync()
    {
        server = await ProxyServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), CancellationToken.None);
        api = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(10) };
        echo.Start();
        _ = EchoAsync();
    }

    private async Task EchoAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await echo.AcceptTcpClientAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            _ = Task.Run(async () =>
            {
                using (client)
                {
                    var stream = client.GetStream();
                    var buffer = new byte[65536];
                    try
                    {
                        int read;
                        while ((read = await stream.ReadAsync(buffer, stop.Token)) > 0)
                            await stream.WriteAsync(buffer.AsMemory(0, read), stop.Token);
                    }
                    catch (Exception e) when (e is IOException or OperationCanceledException)
                    {
                    }
                }
            });
        }
    }

    private string Upstream => $"127.0.0.1:{((IPEndPoint)echo.LocalEndpoint).Port}";

    private async Task<(int Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, JsonNode? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await api.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 || !text.StartsWith('{') && !text.StartsWith('[') ? null : JsonNode.Parse(text));
    }

    private async Task<IPEndPoint> CreateProxyAsync(string name)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/proxies", new JsonObject { ["name"] = name, ["listen"] = "127.0.0.1:0", ["upstream"] = Upstream });
        Assert.Equal(201, status);
        Assert.Equal(name, body!["name"]!.GetValue<string>());
        Assert.True(body["enabled"]!.GetValue<bool>());
        return IPEndPoint.Parse(body["listen"]!.GetValue<string>());
    }

    private Task<(int, JsonNode?)> AddToxicAsync(string proxy, string type, string stream, JsonObject attributes, double toxicity = 1) =>
        SendAsync(HttpMethod.Post, $"/proxies/{proxy}/toxics", new JsonObject
        {
            ["type"] = type, ["stream"] = stream, ["toxicity"] = toxicity, ["attributes"] = attributes,
        });

    private static async Task<TcpClient> ConnectAsync(IPEndPoint at)
    {
        var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(at);
        return client;
    }

    /// <summary>Sends bytes and reads until that many come back; the elapsed time, or null when fewer came within the wait.</summary>
    private static async Task<TimeSpan?> RoundTripAsync(TcpClient client, int bytes, TimeSpan wait)
    {
        var stream = client.GetStream();
        var watch = Stopwatch.StartNew();
        await stream.WriteAsync(new byte[bytes]);
        var buffer = new byte[bytes];
        var got = 0;
        using var deadline = new CancellationTokenSource(wait);
        try
        {
            while (got < bytes)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(got), deadline.Token);
                if (read == 0)
                    return null;
                got += read;
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        return watch.Elapsed;
    }

    [Fact]
    public async Task ProxiesAreCreatedListedAndRefusedAsToxiproxyDoes()
    {
        var listen = await CreateProxyAsync("raft");
        using (var client = await ConnectAsync(listen))
            Assert.NotNull(await RoundTripAsync(client, 100, TimeSpan.FromSeconds(5)));

        var (status, list) = await SendAsync(HttpMethod.Get, "/proxies");
        Assert.Equal(200, status);
        Assert.Equal(Upstream, list!["raft"]!["upstream"]!.GetValue<string>());
        Assert.Empty(list["raft"]!["toxics"]!.AsArray());

        (status, var error) = await SendAsync(HttpMethod.Post, "/proxies", new JsonObject { ["name"] = "raft", ["listen"] = "127.0.0.1:0", ["upstream"] = Upstream });
        Assert.Equal(409, status);
        Assert.Equal("proxy already exists", error!["error"]!.GetValue<string>());
        Assert.Equal(409, error["status"]!.GetValue<int>());
        Assert.Equal(404, (await SendAsync(HttpMethod.Get, "/proxies/nope")).Status);
        Assert.Equal(400, (await SendAsync(HttpMethod.Post, "/proxies", new JsonObject { ["name"] = "x" })).Status);
        Assert.Equal(400, (await AddToxicAsync("raft", "melt", "downstream", [])).Item1);
        Assert.Equal(400, (await AddToxicAsync("raft", "latency", "sideways", [])).Item1);
        Assert.Equal(400, (await AddToxicAsync("raft", "latency", "upstream", new JsonObject { ["latency"] = -5 })).Item1);

        (status, var toxic) = await AddToxicAsync("raft", "latency", "downstream", new JsonObject { ["latency"] = 100 });
        Assert.Equal(200, status);
        Assert.Equal("latency_downstream", toxic!["name"]!.GetValue<string>());
        Assert.Equal(0, toxic["attributes"]!["jitter"]!.GetValue<long>());
        Assert.Equal(409, (await AddToxicAsync("raft", "latency", "downstream", [])).Item1);
        (status, toxic) = await SendAsync(HttpMethod.Post, "/proxies/raft/toxics/latency_downstream", new JsonObject { ["attributes"] = new JsonObject { ["jitter"] = 10 } });
        Assert.Equal(200, status);
        Assert.Equal(100, toxic!["attributes"]!["latency"]!.GetValue<long>());
        Assert.Equal(10, toxic["attributes"]!["jitter"]!.GetValue<long>());

        Assert.Equal(204, (await SendAsync(HttpMethod.Post, "/reset")).Status);
        Assert.Empty((await SendAsync(HttpMethod.Get, "/proxies/raft/toxics")).Body!.AsArray());
        Assert.Equal(204, (await SendAsync(HttpMethod.Delete, "/proxies/raft")).Status);
        Assert.Equal(404, (await SendAsync(HttpMethod.Delete, "/proxies/raft")).Status);
        await Assert.ThrowsAnyAsync<SocketException>(() => ConnectAsync(listen));
    }

    [Fact]
    public async Task LatencyDelaysEachDirectionAndToxicityZeroLeavesLinksAlone()
    {
        var listen = await CreateProxyAsync("slow");
        Assert.Equal(200, (await AddToxicAsync("slow", "latency", "upstream", new JsonObject { ["latency"] = 300 })).Item1);
        Assert.Equal(200, (await AddToxicAsync("slow", "latency", "downstream", new JsonObject { ["latency"] = 200 }) ).Item1);
        using (var client = await ConnectAsync(listen))
        {
            var elapsed = await RoundTripAsync(client, 10, TimeSpan.FromSeconds(5));
            Assert.True(elapsed >= TimeSpan.FromMilliseconds(490), $"{elapsed}");
        }
        await SendAsync(HttpMethod.Delete, "/proxies/slow/toxics/latency_upstream");
        await SendAsync(HttpMethod.Post, "/proxies/slow/toxics/latency_downstream", new JsonObject { ["toxicity"] = 0.0, ["attributes"] = new JsonObject { ["latency"] = 20_000 } });
        using (var client = await ConnectAsync(listen))
            Assert.NotNull(await RoundTripAsync(client, 10, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task TimeoutBlackholesThenClosesAndResetPeerResets()
    {
        var listen = await CreateProxyAsync("hole");
        using var client = await ConnectAsync(listen);
        Assert.NotNull(await RoundTripAsync(client, 10, TimeSpan.FromSeconds(5)));
        Assert.Equal(200, (await AddToxicAsync("hole", "timeout", "upstream", new JsonObject { ["timeout"] = 0 })).Item1);
        await Task.Delay(200);
        Assert.Null(await RoundTripAsync(client, 10, TimeSpan.FromMilliseconds(700)));
        await SendAsync(HttpMethod.Delete, "/proxies/hole/toxics/timeout_upstream");
        await Task.Delay(200);
        Assert.NotNull(await RoundTripAsync(client, 10, TimeSpan.FromSeconds(5)));

        Assert.Equal(200, (await AddToxicAsync("hole", "timeout", "downstream", new JsonObject { ["timeout"] = 300 })).Item1);
        using (var closed = await ConnectAsync(listen))
        {
            var read = await closed.GetStream().ReadAsync(new byte[1]).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(0, read);
        }
        await SendAsync(HttpMethod.Delete, "/proxies/hole/toxics/timeout_downstream");

        Assert.Equal(200, (await AddToxicAsync("hole", "reset_peer", "downstream", new JsonObject { ["timeout"] = 100 })).Item1);
        using var reset = await ConnectAsync(listen);
        var error = await Assert.ThrowsAsync<IOException>(async () =>
            await reset.GetStream().ReadAsync(new byte[1]).AsTask().WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(SocketError.ConnectionReset, (error.InnerException as SocketException)?.SocketErrorCode);
    }

    [Fact]
    public async Task LimitDataBandwidthSlowCloseAndDisable()
    {
        var listen = await CreateProxyAsync("lim");
        Assert.Equal(200, (await AddToxicAsync("lim", "limit_data", "upstream", new JsonObject { ["bytes"] = 1000 })).Item1);
        using (var client = await ConnectAsync(listen))
        {
            var stream = client.GetStream();
            await stream.WriteAsync(new byte[4000]);
            var total = 0;
            var buffer = new byte[8192];
            int read;
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                while ((read = await stream.ReadAsync(buffer, deadline.Token)) > 0)
                    total += read;
            }
            catch (IOException)
            {
            }
            Assert.Equal(1000, total);
        }
        await SendAsync(HttpMethod.Post, "/reset");

        Assert.Equal(200, (await AddToxicAsync("lim", "bandwidth", "downstream", new JsonObject { ["rate"] = 20 })).Item1);
        using (var client = await ConnectAsync(listen))
        {
            var elapsed = await RoundTripAsync(client, 30_000, TimeSpan.FromSeconds(10));
            Assert.NotNull(elapsed);
            Assert.True(elapsed >= TimeSpan.FromMilliseconds(1000), $"30 KB at 20 KB/s took {elapsed}");
        }
        await SendAsync(HttpMethod.Post, "/reset");

        Assert.Equal(200, (await AddToxicAsync("lim", "slow_close", "downstream", new JsonObject { ["delay"] = 600 })).Item1);
        using (var client = await ConnectAsync(listen))
        {
            // The client closes its side; the echo server then closes, and the proxy holds that close back.
            var stream = client.GetStream();
            client.Client.Shutdown(SocketShutdown.Send);
            var watch = Stopwatch.StartNew();
            var read = await stream.ReadAsync(new byte[1]).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(0, read);
            Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(550), $"{watch.Elapsed}");
        }

        Assert.Equal(200, (await SendAsync(HttpMethod.Post, "/proxies/lim", new JsonObject { ["enabled"] = false })).Status);
        await Assert.ThrowsAnyAsync<SocketException>(() => ConnectAsync(listen));
        Assert.Equal(200, (await SendAsync(HttpMethod.Post, "/proxies/lim", new JsonObject { ["enabled"] = true })).Status);
        using (var client = await ConnectAsync(listen))
            Assert.NotNull(await RoundTripAsync(client, 10, TimeSpan.FromSeconds(5)));
    }

    public async Task DisposeAsync()
    {
        stop.Cancel();
        echo.Stop();
        api.Dispose();
        await server.DisposeAsync();
    }
}
