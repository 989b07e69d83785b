using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Node.Agent;

// Startup, liveness and readiness probes as kubelet runs them: one runner (exec, tcpSocket, httpGet; grpc is not supported
// and fails), run from the sync loop when due, with a streak per (container, kind) held against successThreshold and
// failureThreshold. Until the startup probe succeeds the other two do not run; a startup or liveness verdict of failure
// kills the container (the restart policy then decides, as for a crash); a readiness verdict only flips Ready.
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed partial class PodWorker
{
    private enum ProbeKind
    {
        Startup,
        Liveness,
        Readiness,
    }

    /// <summary>In the order they are run within one sync: startup first, so the others may follow at once when it succeeds.</summary>
    private static readonly (ProbeKind Kind, string Field)[] ProbeFields =
        [(ProbeKind.Startup, "startupProbe"), (ProbeKind.Liveness, "livenessProbe"), (ProbeKind.Readiness, "readinessProbe")];

    // Like kubelet's prober: no proxy, no kept-alive connections, no certificate check for scheme HTTPS.
    private static readonly HttpClient ProbeHttp = new(new SocketsHttpHandler
    {
        UseProxy = false,
        PooledConnectionLifetime = TimeSpan.Zero,
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = static (_, _, _, _) => true },
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    private readonly Dictionary<(string Container, ProbeKind Kind), ProbeState> probes = [];

    private sealed class ProbeState
    {
        public DateTimeOffset Next { get; set; }

        /// <summary>Positive: consecutive successes; negative: consecutive failures.</summary>
        public int Streak { get; set; }
    }

    /// <summary>A container (re)started: fresh streaks, each probe first due after its initialDelaySeconds.</summary>
    private void ResetProbes(JsonObject spec, ContainerSlot slot)
    {
        foreach (var (kind, field) in ProbeFields)
        {
            if (spec.Obj(field) is { } probe)
                probes[(slot.Name, kind)] = new ProbeState { Next = slot.StartedAt + Seconds(probe, "initialDelaySeconds", 0, minimum: 0) };
            else
                probes.Remove((slot.Name, kind));
        }
        slot.Started = !probes.ContainsKey((slot.Name, ProbeKind.Startup));
        slot.Ready = !probes.ContainsKey((slot.Name, ProbeKind.Readiness));
        slot.KillAt = null;
    }

    /// <summary>When a running container next needs its worker: its earliest due probe, or the SIGKILL ending a probe's kill.</summary>
    private DateTimeOffset NextProbeDue(ContainerSlot slot) =>
        slot.KillAt ?? probes.Where(p => p.Key.Container == slot.Name && (p.Key.Kind == ProbeKind.Startup) != slot.Started)
            .Select(p => p.Value.Next).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();

    /// <summary>Runs the running container's due probes and acts on their verdicts.</summary>
    private async Task ProbeAsync(JsonObject pod, JsonObject spec, ContainerSlot slot, CancellationToken token)
    {
        var now = context.Clock.GetUtcNow();
        if (slot.KillAt is { } killAt)
        {
            // A failed probe sent SIGTERM; the grace period is over.
            if (now >= killAt)
            {
                await context.Runtime.SignalAsync(slot.RuntimeId!, "KILL", token).ConfigureAwait(false);
                slot.KillAt = DateTimeOffset.MaxValue;
            }
            return;
        }
        foreach (var (kind, field) in ProbeFields)
        {
            // The startup probe runs only until the container has started, the others only after.
            if ((kind == ProbeKind.Startup) == slot.Started || spec.Obj(field) is not { } probe
                || !probes.TryGetValue((slot.Name, kind), out var state) || now < state.Next)
                continue;
            state.Next = now + Seconds(probe, "periodSeconds", 10);
            var (success, detail) = await RunProbeAsync(probe, spec, slot.RuntimeId!, token).ConfigureAwait(false);
            state.Streak = success ? Math.Max(state.Streak, 0) + 1 : Math.Min(state.Streak, 0) - 1;
            if (!success)
            {
                context.Logger.LogDebug("pod {Pod}: {Kind} probe of {Container} failed: {Detail}", Key, kind, slot.Name, detail);
                context.Events.Warning(pod, "Unhealthy", $"{kind} probe failed: {detail}");
            }
            bool? verdict = success && state.Streak >= (probe.Long("successThreshold") ?? 1) ? true
                : !success && -state.Streak >= (probe.Long("failureThreshold") ?? 3) ? false
                : null;
            switch (kind, verdict)
            {
                case (ProbeKind.Readiness, { } ready):
                    slot.Ready = ready;
                    break;
                case (ProbeKind.Startup, true):
                    slot.Started = true;
                    break;
                case (ProbeKind.Startup or ProbeKind.Liveness, false):
                    await KillAsync(pod, probe, slot, $"Container {slot.Name} failed {kind.ToString().ToLowerInvariant()} probe, will be restarted: {detail}", token)
                        .ConfigureAwait(false);
                    return;
            }
        }
    }

    /// <summary>
    /// SIGTERM now and SIGKILL after the probe's terminationGracePeriodSeconds (else the pod's), sent by a later sync so the
    /// worker is not held for the grace period; the exit is then reaped like any other and the restart policy applies.
    /// </summary>
    private async Task KillAsync(JsonObject pod, JsonObject probe, ContainerSlot slot, string message, CancellationToken token)
    {
        var grace = TimeSpan.FromSeconds(probe.Long("terminationGracePeriodSeconds")
            ?? pod.Long("spec", "terminationGracePeriodSeconds") ?? 30);
        context.Logger.LogInformation("pod {Pod}: {Message}", Key, message);
        context.Events.Normal(pod, "Killing", message);
        slot.Ready = false;
        slot.KillAt = grace > TimeSpan.Zero ? context.Clock.GetUtcNow() + grace : DateTimeOffset.MaxValue;
        await context.Runtime.SignalAsync(slot.RuntimeId!, grace > TimeSpan.Zero ? "TERM" : "KILL", token).ConfigureAwait(false);
    }

    /// <summary>One probe within its timeoutSeconds: success, or failure with what went wrong.</summary>
    private async Task<(bool Success, string Detail)> RunProbeAsync(JsonObject probe, JsonObject spec, string containerId, CancellationToken token)
    {
        var timeout = Seconds(probe, "timeoutSeconds", 1);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(token);
        bounded.CancelAfter(timeout);
        try
        {
            return await ProbeOnceAsync(probe, spec, containerId, bounded.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested)
        {
            return (false, $"timed out after {timeout.TotalSeconds}s");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return (false, e.Message);
        }
    }

    private async Task<(bool Success, string Detail)> ProbeOnceAsync(JsonObject probe, JsonObject spec, string containerId, CancellationToken token)
    {
        if (probe.Obj("exec") is { } exec)
        {
            using var output = new MemoryStream();
            var code = await context.Runtime.ExecAsync(containerId, [.. exec.Strings("command")], null, output, output, token)
                .ConfigureAwait(false);
            var text = Encoding.UTF8.GetString(output.GetBuffer(), 0, (int)Math.Min(output.Length, 1024)).Trim();
            return (code == 0, $"command exited with {code}: {text}");
        }
        if (probe.Obj("tcpSocket") is { } tcp)
        {
            using var socket = new TcpClient();
            await socket.ConnectAsync(Host(tcp), Port(tcp, spec), token).ConfigureAwait(false);
            return (true, "");
        }
        if (probe.Obj("httpGet") is { } get)
        {
            var path = get.Str("path") ?? "/";
            var root = new UriBuilder((get.Str("scheme") ?? "HTTP").ToLowerInvariant(), Host(get), Port(get, spec)).Uri;
            var url = new Uri(root, path);
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.ConnectionClose = true;
            request.Headers.TryAddWithoutValidation("User-Agent", "kube-probe/1.32");
            request.Headers.TryAddWithoutValidation("Accept", "*/*");
            foreach (var header in get.Items("httpHeaders"))
            {
                var name = header.Str("name") ?? "";
                if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
                {
                    request.Headers.Host = header.Str("value") ?? "";
                    continue;
                }
                request.Headers.Remove(name);
                request.Headers.TryAddWithoutValidation(name, header.Str("value") ?? "");
            }
            using var response = await ProbeHttp.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            return (status is >= 200 and < 400, $"HTTP probe failed with statuscode: {status}");
        }
        return probe.Obj("grpc") is not null
            ? (false, "grpc probes are not supported by this node agent")
            : (false, "the probe has no handler");
    }

    /// <summary>The handler's host, by default the pod's IP.</summary>
    private string Host(JsonObject handler) =>
        handler.Str("host") is { Length: > 0 } host ? host : sandbox?.Address ?? "127.0.0.1";

    /// <summary>A port number, or a name resolved against the container's ports.</summary>
    private static int Port(JsonObject handler, JsonObject spec)
    {
        if (handler.Long("port") is { } number)
            return (int)number;
        var name = handler.Str("port") ?? "";
        if (int.TryParse(name, out var parsed))
            return parsed;
        return spec.Items("ports").FirstOrDefault(p => (p.Str("name") ?? "") == name) is { } port
            && port.Long("containerPort") is { } resolved
            ? (int)resolved
            : throw new InvalidOperationException($"port \"{name}\" is not among the container's ports");
    }

    /// <summary>A probe's time field; unset or below <paramref name="minimum"/> gives the default, as the API server's defaulting would.</summary>
    private static TimeSpan Seconds(JsonObject probe, string field, int defaultSeconds, int minimum = 1) =>
        TimeSpan.FromSeconds(probe.Long(field) is { } value && value >= minimum ? value : defaultSeconds);
}
