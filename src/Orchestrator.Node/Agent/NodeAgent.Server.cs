using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Node.Runtime;

namespace Orchestrator.Node.Agent;

// The agent's own endpoint, kubelet's port 10250: HTTPS with x509 client authentication on Kestrel. GET
// /containerLogs/{ns}/{pod}/{container}, /stats/summary and /exec/..., /attach/... and /portforward/... (WebSocket). The API server reaches it at the
// Node's InternalIP and daemonEndpoints.kubeletEndpoint.Port with a client certificate from the cluster CA; callers
// without one get 401, other cluster identities 403 (AgentClientAuthorizer).
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class NodeAgent
{
    private readonly ConcurrentDictionary<string, (ResourceUsage Previous, ResourceUsage Latest)> samples = new(StringComparer.Ordinal);
    private readonly AgentClientAuthorizer authorizer;
    private WebApplication? server;
    private X509Certificate2? servingCertificate;

    /// <summary>The port the agent's HTTPS endpoint listens on (published in the Node's daemonEndpoints).</summary>
    public int ServerPort { get; private set; }

    private async Task StartServerAsync(CancellationToken token)
    {
        var certificate = servingCertificate = AgentServingCertificate.LoadOrCreate(
            Path.Combine(options.RootDirectory, "pki"), options.NodeName, options.InternalIp, clock.GetUtcNow());
        // The empty builder: no configuration files or environment (ASPNETCORE_URLS), no console logging.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Parse(options.InternalIp), options.ServerPort, listen => listen.UseHttps(new HttpsConnectionAdapterOptions
            {
                ServerCertificate = certificate,
                // Any certificate is taken at the handshake; each request checks it against the client CA, so a
                // missing or foreign one gets a 401 rather than a TLS error.
                ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                ClientCertificateValidation = (_, _, _) => true,
            }));
        });
        // The agent's owner decides when it stops: the default ConsoleLifetime would take Ctrl-C/SIGTERM for itself.
        builder.Services.AddSingleton<IHostLifetime, OwnedLifetime>();
        var app = builder.Build();
        app.UseWebSockets();
        app.Run(HandleAsync);
        try
        {
            await app.StartAsync(token).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        server = app;
        // Port 0 lets the kernel choose; Kestrel reports the address it bound.
        var bound = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        ServerPort = new Uri(bound).Port;
    }

    private async Task StopServerAsync()
    {
        if (server is { } app)
        {
            server = null;
            // Requests end with the agent's stop token; connections still open after a moment are aborted.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await app.StopAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            await app.DisposeAsync().ConfigureAwait(false);
        }
        servingCertificate?.Dispose();
        authorizer.Dispose();
    }

    private async Task HandleAsync(HttpContext http)
    {
        using var request = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, stop.Token);
        var token = request.Token;
        var response = http.Response;
        // The undecoded target, split and unescaped per segment (an escaped '/' stays inside its segment).
        var target = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? http.Request.Path.Value ?? "/";
        var path = target.Split('?', 2)[0];
        try
        {
            if (!await AuthorizeAsync(http).ConfigureAwait(false))
                return;
            var parts = path.Trim('/').Split('/').Select(Uri.UnescapeDataString).ToArray();
            if (!HttpMethods.IsGet(http.Request.Method))
                await WriteTextAsync(response, 405, "method not allowed").ConfigureAwait(false);
            else if (parts is ["containerLogs", var ns, var pod, var container])
                await ServeLogsAsync(http, ns, pod, container, token).ConfigureAwait(false);
            else if (parts is ["exec", var execNs, var execPod, var execContainer])
                await ServeExecAsync(http, execNs, execPod, execContainer, token).ConfigureAwait(false);
            else if (parts is ["attach", var attachNs, var attachPod, var attachContainer])
                await ServeAttachAsync(http, attachNs, attachPod, attachContainer, token).ConfigureAwait(false);
            else if (parts is ["portforward", var forwardNs, var forwardPod])
                await ServePortForwardAsync(http, forwardNs, forwardPod, token).ConfigureAwait(false);
            else if (parts is ["stats", "summary"])
                await WriteTextAsync(response, 200, (await SummaryAsync(token).ConfigureAwait(false)).ToJsonString(), "application/json").ConfigureAwait(false);
            else if (parts is ["healthz"])
                await WriteTextAsync(response, 200, "ok").ConfigureAwait(false);
            else
                await WriteTextAsync(response, 404, "404 page not found").ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away or the agent is stopping.
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "agent endpoint request {Path} failed", path);
            if (!response.HasStarted)
                await WriteTextAsync(response, 500, e.Message).ConfigureAwait(false);
        }
    }

    /// <summary>A host lifetime that only starts and stops when told (no signal handling).</summary>
    private sealed class OwnedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>401 without a client certificate from the client CA, 403 for an identity other than the API server's.</summary>
    private async Task<bool> AuthorizeAsync(HttpContext http)
    {
        var caller = authorizer.Check(http.Connection.ClientCertificate);
        switch (caller.Access)
        {
            case AgentAccess.Unauthenticated:
                await WriteTextAsync(http.Response, 401, "Unauthorized").ConfigureAwait(false);
                return false;
            case AgentAccess.Forbidden:
                await WriteTextAsync(http.Response, 403,
                    $"Forbidden (user={caller.User}, groups=[{string.Join(' ', caller.Groups)}]): only {AgentClientAuthorizer.ApiServerUser} "
                    + $"and group {AgentClientAuthorizer.MastersGroup} may use the node agent").ConfigureAwait(false);
                return false;
            default:
                return true;
        }
    }

    private async Task ServeLogsAsync(HttpContext http, string ns, string podName, string container, CancellationToken token)
    {
        var query = http.Request.Query;
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
        var previous = IsTrue(query["previous"].ToString());
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
        if (long.TryParse(query["sinceSeconds"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            since = clock.GetUtcNow() - TimeSpan.FromSeconds(seconds);
        else if (DateTimeOffset.TryParse(query["sinceTime"].ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var sinceTime))
            since = sinceTime;
        var read = new LogReadOptions
        {
            Follow = !previous && IsTrue(query["follow"].ToString()),
            Timestamps = IsTrue(query["timestamps"].ToString()),
            TailLines = long.TryParse(query["tailLines"].ToString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var tail) && tail >= 0 ? tail : null,
            LimitBytes = long.TryParse(query["limitBytes"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit > 0 ? limit : null,
            Since = since,
        };
        var response = http.Response;
        response.StatusCode = 200;
        response.ContentType = "text/plain";
        // Chunked (no length); the headers go out now, so a followed log with nothing new yet is already open.
        await response.StartAsync(token).ConfigureAwait(false);
        await ContainerLogReader.CopyAsync(Runtime.LogPath(id), read, () => slot.RuntimeId == id && slot.IsRunning, response.Body, token)
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

    private static async Task WriteTextAsync(HttpResponse response, int code, string text, string contentType = "text/plain; charset=utf-8")
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        response.StatusCode = code;
        response.ContentType = contentType;
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes).ConfigureAwait(false);
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
                    ["startTime"] = Json.Timestamp(slot.StartedAt),
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
