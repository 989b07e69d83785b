using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Client;
using Orchestrator.Client.Config;
using Orchestrator.Testing;

namespace Orchestrator.Node.Benchmarks;

/// <summary>
/// Pod streams through the API server (`streams`): port-forward throughput and per-connection latency for each
/// transport a client uses (kubectl's SPDY tunneled in WebSocket, plain SPDY, the v4 channel WebSocket), against
/// the same transfer straight to the pod's IP; exec latency and stdout throughput over v5.channel.k8s.io. One
/// busybox httpd pod on a real node agent; every stream goes client -> follower replica -> node agent -> pod.
/// With --kubeconfig, against a running cluster as `./deploy/up.sh` starts it (its registry serves busybox:1, its
/// first real node is node-1; --context replica-2, --node node-1); without, on a cluster of 3 replicas and one
/// node agent started here. Options: --megabytes 256 (the file fetched), --requests 200 (connections per transport).
/// </summary>
internal static class StreamBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var megabytes = int.Parse(CommandArgs.Value(args, "--megabytes", "256"), CultureInfo.InvariantCulture);
        var requests = int.Parse(CommandArgs.Value(args, "--requests", "200"), CultureInfo.InvariantCulture);
        Console.WriteLine($"stream benchmark: {megabytes} MiB transfers, {requests} connections per transport; {Environment.ProcessorCount} cores");
        // A follower: streams never touch Raft, so every replica takes the same path to the node agent.
        var context = CommandArgs.Value(args, "--context", "replica-2");
        if (Array.IndexOf(args, "--kubeconfig") >= 0)
        {
            await MeasureAsync(CommandArgs.Value(args, "--kubeconfig", ""), context, "busybox:1", CommandArgs.Value(args, "--node", "node-1"), megabytes, requests);
            return 0;
        }
        await using var registry = await TestRegistry.StartAsync();
        await BusyboxImage.PushAsync(registry, "busybox", "1");
        await using var cluster = await ApiCluster.StartAsync(3);
        using var client = await KubeClient.FromKubeconfigAsync(cluster.KubeconfigPath, null, new KubeClientOptions { RequestTimeout = TimeSpan.FromSeconds(60) });
        await using var node = await TestNodeAgent.StartAsync(client, registry.ClientOptions, Random.Shared.Next(0, 255));
        await MeasureAsync(cluster.KubeconfigPath, context, $"{registry.Address}/busybox:1", node.NodeName, megabytes, requests);
        return 0;
    }

    private static async Task MeasureAsync(string kubeconfig, string context, string image, string nodeName, int megabytes, int requests)
    {
        var config = await Kubeconfig.LoadAsync(kubeconfig, context);
        using var client = await KubeClient.FromKubeconfigAsync(kubeconfig, context, new KubeClientOptions { RequestTimeout = TimeSpan.FromSeconds(60) });
        var ns = "streams-" + Guid.NewGuid().ToString("N")[..6];
        await client.CreateAsync(ApiResource.Namespaces, null, new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns },
        });
        var home = Directory.CreateTempSubdirectory("stream-benchmark-");
        try
        {
            var size = megabytes * 1048576L;
            var podIp = await StartWebPodAsync(client, ns, image, nodeName, size);
            var kubectl = new Kubectl(kubeconfig, home.FullName);
            Console.WriteLine($"{"transport",-40} {"MiB/s (best of 3)",18}  connection + GET / latency");
            if (podIp is not null)
                await MeasureHttpAsync("direct to the pod IP (baseline)", podIp, 80, size, requests);
            foreach (var (name, environment) in new (string, Dictionary<string, string>)[]
            {
                ("kubectl port-forward (WS-tunneled SPDY)", []),
                ("kubectl port-forward (plain SPDY)", new() { ["KUBECTL_PORT_FORWARD_WEBSOCKETS"] = "false" }),
            })
            {
                using var forward = kubectl.Start(context, environment, "port-forward", "-n", ns, "pod/web", ":80");
                var port = (await forward.ForwardedPortsAsync(1))[80];
                await MeasureHttpAsync(name, "127.0.0.1", port, size, requests, () => forward.Error);
            }
            using var http = new HttpClient(TlsHandler.Create(config)) { BaseAddress = config.Server };
            await MeasureChannelPortForwardAsync(http, config.Token, ns, size, requests);
            await MeasureExecAsync(http, config.Token, ns, size, requests);
        }
        finally
        {
            await client.DeleteAsync(ApiResource.Namespaces, null, ns);
            home.Delete(recursive: true);
        }
    }

    /// <summary>busybox httpd serving "ok\n" at / and <paramref name="size"/> zero bytes at /big; its pod IP.</summary>
    private static async Task<string?> StartWebPodAsync(KubeClient client, string ns, string image, string nodeName, long size)
    {
        var script = $"mkdir -p /www && echo ok > /www/index.html && head -c {size} /dev/zero > /www/big && exec httpd -f -p 80 -h /www";
        await client.CreateAsync(ApiResource.Pods, ns, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = "web" },
            ["spec"] = new JsonObject
            {
                ["nodeName"] = nodeName,
                ["terminationGracePeriodSeconds"] = 1,
                ["containers"] = new JsonArray(new JsonObject
                {
                    ["name"] = "main",
                    ["image"] = image,
                    ["command"] = new JsonArray("sh", "-c", script),
                }),
            },
        });
        JsonObject? pod = null;
        await Eventually.HoldsAsync(async () => (pod = await client.GetAsync(ApiResource.Pods, ns, "web")).Str("status", "phase") == "Running",
            TimeSpan.FromMinutes(2), () => pod?.ToJsonString() ?? "");
        return pod!.Str("status", "podIP");
    }

    private static async Task MeasureHttpAsync(string name, string host, int port, long size, int requests, Func<string>? diagnostics = null)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        // Each request its own TCP connection, so each is a new forwarded stream.
        http.DefaultRequestHeaders.ConnectionClose = true;
        var baseUri = $"http://{host}:{port}";
        await Eventually.HoldsAsync(async () =>
        {
            try
            {
                return await http.GetStringAsync(baseUri + "/") == "ok\n";
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60), diagnostics);
        await ReportAsync(name, size, requests, async () =>
        {
            await using var body = await http.GetStreamAsync(baseUri + "/big");
            return await DrainAsync(body);
        }, () => http.GetStringAsync(baseUri + "/"));
    }

    /// <summary>The channel WebSocket protocol as non-kubectl clients speak it: one socket per connection.</summary>
    private static async Task MeasureChannelPortForwardAsync(HttpClient http, string? token, string ns, long size, int requests)
    {
        async Task<long> FetchAsync(string path)
        {
            using var socket = Socket("v4.channel.k8s.io", token);
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await socket.ConnectAsync(new Uri($"wss://{http.BaseAddress!.Authority}/api/v1/namespaces/{ns}/pods/web/portforward?ports=80"), http, timeout.Token);
            await socket.SendAsync((byte[])[0, .. Encoding.ASCII.GetBytes($"GET {path} HTTP/1.0\r\n\r\n")], WebSocketMessageType.Binary, true, timeout.Token);
            return await ChannelBytesAsync(socket, 0, timeout.Token);
        }
        // The response's headers come with the file, so a whole transfer is a little more than its size.
        await ReportAsync("v4.channel.k8s.io port-forward", size, requests, () => FetchAsync("/big"), () => FetchAsync("/"));
    }

    /// <summary>exec over v5.channel.k8s.io: `true` end to end (open, run, exit status, close), and stdout throughput.</summary>
    private static async Task MeasureExecAsync(HttpClient http, string? token, string ns, long size, int requests)
    {
        async Task<long> ExecAsync(params string[] command)
        {
            using var socket = Socket("v5.channel.k8s.io", token);
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var query = string.Join('&', command.Select(c => "command=" + Uri.EscapeDataString(c))) + "&stdout=true&stderr=true";
            await socket.ConnectAsync(new Uri($"wss://{http.BaseAddress!.Authority}/api/v1/namespaces/{ns}/pods/web/exec?{query}"), http, timeout.Token);
            return await ChannelBytesAsync(socket, 1, timeout.Token);
        }
        await ReportAsync("exec v5.channel.k8s.io (stdout; true)", size, requests,
            () => ExecAsync("head", "-c", size.ToString(CultureInfo.InvariantCulture), "/dev/zero"), () => ExecAsync("true"));
    }

    /// <summary>Best rate of 3 transfers (each must bring at least <paramref name="size"/> bytes), then sequential requests' latency.</summary>
    private static async Task ReportAsync(string name, long size, int requests, Func<Task<long>> transfer, Func<Task> request)
    {
        var rates = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            var clock = Stopwatch.StartNew();
            var read = await transfer();
            if (read < size)
                throw new InvalidOperationException($"{name}: {read} bytes of {size}");
            rates.Add(size / 1048576.0 / clock.Elapsed.TotalSeconds);
        }
        var latencies = new List<TimeSpan>();
        for (var i = 0; i < requests; i++)
        {
            var clock = Stopwatch.StartNew();
            await request();
            latencies.Add(clock.Elapsed);
        }
        Console.WriteLine($"{name,-40} {rates.Max(),18:F0}  {LatencySummary.Of(latencies)}");
    }

    /// <summary>Bytes on one channel (after port-forward's two-byte port prefix) until the server closes.</summary>
    private static async Task<long> ChannelBytesAsync(ClientWebSocket socket, byte channel, CancellationToken token)
    {
        var buffer = new byte[256 * 1024];
        long total = 0;
        var first = true;
        var messageStart = true;
        var current = -1;
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, token);
            if (received.MessageType == WebSocketMessageType.Close)
                return total;
            var offset = 0;
            if (messageStart && received.Count > 0)
            {
                current = buffer[0];
                offset = 1;
                // Port-forward's first message on a channel is the port number, not data.
                if (current == channel && first && socket.SubProtocol!.StartsWith("v4.channel", StringComparison.Ordinal))
                {
                    first = false;
                    offset = received.Count;
                }
            }
            if (current == channel)
                total += received.Count - offset;
            messageStart = received.EndOfMessage;
        }
    }

    private static async Task<long> DrainAsync(Stream body)
    {
        var buffer = new byte[256 * 1024];
        long total = 0;
        int n;
        while ((n = await body.ReadAsync(buffer)) > 0)
            total += n;
        return total;
    }

    private static ClientWebSocket Socket(string protocol, string? token)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(protocol);
        if (token is not null)
            socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
        return socket;
    }
}
