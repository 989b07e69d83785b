using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Orchestrator.Client;
using Orchestrator.Node.Runtime;

namespace Orchestrator.Node.Agent;

// The agent's own HTTP endpoint, kubelet's port 10250 in spirit (plain HTTP here): GET /containerLogs/{ns}/{pod}/{container}
// and GET /stats/summary. The API server reaches it at the Node's InternalIP and daemonEndpoints.kubeletEndpoint.Port.
// HttpListener rather than Kestrel keeps the node library free of ASP.NET; two routes do not need more.
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class NodeAgent
{
    private readonly ConcurrentDictionary<string, (ResourceUsage Previous, ResourceUsage Latest)> samples = new(StringComparer.Ordinal);
    private HttpListener? listener;

    /// <summary>The port the agent's HTTP endpoint listens on (published in the Node's daemonEndpoints).</summary>
    public int ServerPort { get; private set; }

    private void StartServer()
    {
        var port = options.ServerPort;
        if (port == 0)
        {
            // HttpListener cannot bind port 0: ask the kernel for a free port, then release it for the listener.
            var probe = new TcpListener(IPAddress.Parse(options.InternalIp), 0);
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
        }
        listener = new HttpListener();
        listener.Prefixes.Add($"http://{options.InternalIp}:{port}/");
        listener.Start();
        ServerPort = port;
    }

    private void StopServer()
    {
        try
        {
            listener?.Stop();
            listener?.Close();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync(CancellationToken token)
    {
        while (!token.IsCancellationRequested && listener is { IsListening: true } l)
        {
            HttpListenerContext request;
            try
            {
                request = await l.GetContextAsync().WaitAsync(token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(() => HandleAsync(request, token), CancellationToken.None);
        }
    }

    private async Task HandleAsync(HttpListenerContext http, CancellationToken token)
    {
        var response = http.Response;
        try
        {
            var path = http.Request.Url?.AbsolutePath ?? "/";
            var parts = path.Trim('/').Split('/').Select(Uri.UnescapeDataString).ToArray();
            if (http.Request.HttpMethod != "GET")
                await WriteTextAsync(response, 405, "method not allowed").ConfigureAwait(false);
            else if (parts is ["containerLogs", var ns, var pod, var container])
                await ServeLogsAsync(http, ns, pod, container, token).ConfigureAwait(false);
            else if (parts is ["exec", var execNs, var execPod, var execContainer])
                await ServeExecAsync(http, execNs, execPod, execContainer, token).ConfigureAwait(false);
            else if (parts is ["stats", "summary"])
                await WriteTextAsync(response, 200, (await SummaryAsync(token).ConfigureAwait(false)).ToJsonString(), "application/json").ConfigureAwait(false);
            else if (parts is ["healthz"])
                await WriteTextAsync(response, 200, "ok").ConfigureAwait(false);
            else
                await WriteTextAsync(response, 404, "404 page not found").ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpListenerException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away or the agent is stopping.
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "agent endpoint request {Path} failed", http.Request.Url?.AbsolutePath);
            try
            {
                await WriteTextAsync(response, 500, e.Message).ConfigureAwait(false);
            }
            catch (Exception)
            {
            }
        }
        finally
        {
            try
            {
                response.Close();
            }
            catch (Exception)
            {
            }
        }
    }

    private async Task ServeLogsAsync(HttpListenerContext http, string ns, string podName, string container, CancellationToken token)
    {
        var query = http.Request.QueryString;
        var worker = workers.Values.FirstOrDefault(w => w.Namespace == ns && w.Name == podName);
        if (worker is null)
        {
            await WriteTextAsync(http.Response, 404, $"pod {ns}/{podName} not found on node {options.NodeName}").ConfigureAwait(false);
            return;
        }
        var slot = worker.Containers.FirstOrDefault(s => s.Name == container);
        if (slot is null)
        {
            await WriteTextAsync(http.Response, 404, $"container {container} is not valid for pod {podName}").ConfigureAwait(false);
            return;
        }
        var current = slot.LastRuntimeId;
        var previous = IsTrue(query["previous"]);
        var id = previous ? PreviousRuntimeId(worker, slot, current) : current;
        if (id is null)
        {
            var message = previous
                ? $"previous terminated container \"{container}\" in pod \"{podName}\" not found"
                : $"container \"{container}\" in pod \"{podName}\" is waiting to start: {slot.WaitingReason ?? "ContainerCreating"}";
            await WriteTextAsync(http.Response, 400, message).ConfigureAwait(false);
            return;
        }
        DateTimeOffset? since = null;
        if (long.TryParse(query["sinceSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            since = clock.GetUtcNow() - TimeSpan.FromSeconds(seconds);
        else if (DateTimeOffset.TryParse(query["sinceTime"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var sinceTime))
            since = sinceTime;
        var read = new LogReadOptions
        {
            Follow = !previous && IsTrue(query["follow"]),
            Timestamps = IsTrue(query["timestamps"]),
            TailLines = long.TryParse(query["tailLines"], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var tail) && tail >= 0 ? tail : null,
            LimitBytes = long.TryParse(query["limitBytes"], NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit > 0 ? limit : null,
            Since = since,
        };
        var response = http.Response;
        response.StatusCode = 200;
        response.ContentType = "text/plain";
        response.SendChunked = true;
        await ContainerLogReader.CopyAsync(Runtime.LogPath(id), read, () => slot.RuntimeId == id && slot.IsRunning, response.OutputStream, token)
            .ConfigureAwait(false);
    }

    /// <summary>Runtime ids are "{podUid}-{container}-{attempt}": the previous instance is the newest earlier attempt with a log.</summary>
    private string? PreviousRuntimeId(PodWorker worker, ContainerSlot slot, string? current)
    {
        var prefix = $"{worker.Uid}-{slot.Name}-";
        if (current is null || !current.StartsWith(prefix, StringComparison.Ordinal)
            || !int.TryParse(current[prefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var attempt))
            return null;
        // The current run counts as previous once it has ended for good (kubelet shows the last terminated one).
        for (var n = attempt - 1; n >= 0; n--)
        {
            var id = prefix + n.ToString(CultureInfo.InvariantCulture);
            if (File.Exists(Runtime.LogPath(id)))
                return id;
        }
        return null;
    }

    private static bool IsTrue(string? value) => value is "true" or "1" or "True";

    private static async Task WriteTextAsync(HttpListenerResponse response, int code, string text, string contentType = "text/plain; charset=utf-8")
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        response.StatusCode = code;
        response.ContentType = contentType;
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
    }

    /// <summary>Samples the node's and every container's cumulative CPU so the summary can report a rate.</summary>
    private async Task SampleStatsLoopAsync(CancellationToken token)
    {
        await SampleStatsAsync(token).ConfigureAwait(false);
        await EveryAsync(options.StatsSampleInterval, "stats sampling", SampleStatsAsync, token).ConfigureAwait(false);
    }

    private async Task SampleStatsAsync(CancellationToken token)
    {
        try
        {
            Record("node", await Runtime.GetNodeStatsAsync(token).ConfigureAwait(false));
            var live = new HashSet<string>(StringComparer.Ordinal) { "node" };
            foreach (var container in Runtime.List().Where(c => c.State == ContainerState.Running))
            {
                if (await Runtime.GetStatsAsync(container.Id, token).ConfigureAwait(false) is { } usage)
                {
                    Record(container.Id, usage);
                    live.Add(container.Id);
                }
            }
            foreach (var gone in samples.Keys.Where(k => !live.Contains(k)).ToArray())
                samples.TryRemove(gone, out _);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogDebug(e, "sampling stats failed");
        }
    }

    private void Record(string key, ResourceUsage usage) =>
        samples.AddOrUpdate(key, (usage, usage), (_, old) => (old.Latest, usage));

    private ulong NanoCores(string key)
    {
        if (!samples.TryGetValue(key, out var s))
            return 0;
        var seconds = (s.Latest.Timestamp - s.Previous.Timestamp).TotalSeconds;
        if (seconds <= 0 || s.Latest.CpuUsageNanoseconds < s.Previous.CpuUsageNanoseconds)
            return 0;
        return (ulong)((s.Latest.CpuUsageNanoseconds - s.Previous.CpuUsageNanoseconds) / seconds);
    }

    /// <summary>kubelet's /stats/summary, reduced to what metrics-server reads.</summary>
    private async Task<JsonObject> SummaryAsync(CancellationToken token)
    {
        var node = samples.TryGetValue("node", out var n) ? n.Latest : await Runtime.GetNodeStatsAsync(token).ConfigureAwait(false);
        var pods = new JsonArray();
        foreach (var worker in workers.Values)
        {
            var containers = new JsonArray();
            foreach (var slot in worker.Containers)
            {
                if (slot.RuntimeId is not { } id || !slot.IsRunning)
                    continue;
                var usage = samples.TryGetValue(id, out var s) ? s.Latest : await Runtime.GetStatsAsync(id, token).ConfigureAwait(false);
                if (usage is null)
                    continue;
                containers.Add(new JsonObject
                {
                    ["name"] = slot.Name,
                    ["startTime"] = JsonFields.Timestamp(slot.StartedAt),
                    ["cpu"] = new JsonObject { ["time"] = Time(usage.Timestamp), ["usageNanoCores"] = NanoCores(id), ["usageCoreNanoSeconds"] = usage.CpuUsageNanoseconds },
                    ["memory"] = new JsonObject { ["time"] = Time(usage.Timestamp), ["workingSetBytes"] = usage.MemoryWorkingSetBytes },
                });
            }
            pods.Add(new JsonObject
            {
                ["podRef"] = new JsonObject { ["name"] = worker.Name, ["namespace"] = worker.Namespace, ["uid"] = worker.Uid },
                ["containers"] = containers,
            });
        }
        return new JsonObject
        {
            ["node"] = new JsonObject
            {
                ["nodeName"] = options.NodeName,
                ["cpu"] = new JsonObject { ["time"] = Time(node.Timestamp), ["usageNanoCores"] = NanoCores("node"), ["usageCoreNanoSeconds"] = node.CpuUsageNanoseconds },
                ["memory"] = new JsonObject { ["time"] = Time(node.Timestamp), ["workingSetBytes"] = node.MemoryWorkingSetBytes },
            },
            ["pods"] = pods,
        };
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
