using System.Net.Sockets;
using System.Text.Json.Nodes;
using Orchestrator.Client;

namespace Orchestrator.Node.Agent;

// Readiness probes (exec, tcpSocket, httpGet): run from the sync loop when due; failureThreshold/successThreshold as kubelet.
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed partial class PodWorker
{
    private readonly Dictionary<string, int> probeStreaks = new(StringComparer.Ordinal);

    private static TimeSpan ProbeDelay(JsonObject spec) =>
        TimeSpan.FromSeconds(JsonFields.IntOrNull(spec, "readinessProbe", "initialDelaySeconds") ?? 0);

    private async Task ProbeAsync(JsonObject spec, ContainerSlot slot, CancellationToken token)
    {
        if (JsonFields.Obj(spec, "readinessProbe") is not { } probe || context.Clock.GetUtcNow() < slot.NextProbe)
            return;
        slot.NextProbe = context.Clock.GetUtcNow() + TimeSpan.FromSeconds(JsonFields.IntOrNull(probe, "periodSeconds") ?? 10);
        var timeout = TimeSpan.FromSeconds(JsonFields.IntOrNull(probe, "timeoutSeconds") ?? 1);
        bool success;
        using (var bounded = CancellationTokenSource.CreateLinkedTokenSource(token))
        {
            bounded.CancelAfter(timeout);
            try
            {
                success = await RunProbeAsync(probe, slot.RuntimeId!, bounded.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
            {
                success = false;
            }
        }
        // Positive streaks count successes, negative ones failures; readiness flips only at the thresholds.
        var streak = probeStreaks.GetValueOrDefault(slot.Name);
        streak = success ? Math.Max(streak, 0) + 1 : Math.Min(streak, 0) - 1;
        probeStreaks[slot.Name] = streak;
        if (success && streak >= (JsonFields.IntOrNull(probe, "successThreshold") ?? 1))
            slot.Ready = true;
        else if (!success && -streak >= (JsonFields.IntOrNull(probe, "failureThreshold") ?? 3))
            slot.Ready = false;
    }

    private async Task<bool> RunProbeAsync(JsonObject probe, string containerId, CancellationToken token)
    {
        if (JsonFields.Obj(probe, "exec") is { } exec)
        {
            using var output = new MemoryStream();
            var code = await context.Runtime.ExecAsync(containerId, [.. JsonFields.Strings(exec, "command")], null, output, output, token)
                .ConfigureAwait(false);
            return code == 0;
        }
        var host = sandbox?.Address ?? "127.0.0.1";
        if (JsonFields.Obj(probe, "tcpSocket") is { } tcp)
        {
            using var socket = new TcpClient();
            await socket.ConnectAsync(host, Port(tcp), token).ConfigureAwait(false);
            return true;
        }
        if (JsonFields.Obj(probe, "httpGet") is { } get)
        {
            using var http = new HttpClient();
            var path = JsonFields.StrOrNull(get, "path") ?? "/";
            using var response = await http.GetAsync(new Uri($"http://{host}:{Port(get)}{path}"), token).ConfigureAwait(false);
            return (int)response.StatusCode is >= 200 and < 400;
        }
        return true;
    }

    // Named ports are not resolved yet; a numeric port is what tests and most manifests use.
    private static int Port(JsonObject handler) => (int)(JsonFields.IntOrNull(handler, "port") ?? 0);
}
