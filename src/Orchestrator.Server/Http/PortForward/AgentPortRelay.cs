using System.Net.WebSockets;
using System.Text;
using Orchestrator.Server.Nodes;

namespace Orchestrator.Server.Http.PortForward;

/// <summary>
/// Carries one forwarded connection between the client and the pod's node agent (GET /portforward/{ns}/{pod}?port=
/// as a WebSocket): binary messages both ways, an empty one for the client's half-close, a text message for the
/// agent's failure to connect, the agent's close for the pod's side ending.
/// </summary>
internal sealed class AgentPortRelay(NodeConnections agents, Uri agentAddress, string ns, string pod)
{
    public async Task RunAsync(PortClient client, CancellationToken token)
    {
        try
        {
            var failure = await RelayAsync(client, token).ConfigureAwait(false);
            if (failure is not null)
                await client.FailAsync($"error forwarding port {client.Port} to pod {ns}/{pod}: {failure}", token).ConfigureAwait(false);
            await client.CloseAsync(token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client's connection is gone; nothing left to tell it.
        }
    }

    /// <returns>Why the connection failed, or null when it ended normally.</returns>
    private async Task<string?> RelayAsync(PortClient client, CancellationToken token)
    {
        var target = new Uri($"wss://{agentAddress.Authority}/portforward/{Uri.EscapeDataString(ns)}/{Uri.EscapeDataString(pod)}?port={client.Port}");
        ClientWebSocket agent;
        try
        {
            using var connect = CancellationTokenSource.CreateLinkedTokenSource(token);
            connect.CancelAfter(TimeSpan.FromSeconds(10));
            agent = await agents.ConnectWebSocketAsync(target, null, connect.Token).ConfigureAwait(false);
        }
        catch (AgentRefusedException e) when (e.Status == System.Net.HttpStatusCode.NotFound)
        {
            return "the pod is not running on its node";
        }
        catch (Exception e) when (e is WebSocketException or HttpRequestException or AgentRefusedException or OperationCanceledException && !token.IsCancellationRequested)
        {
            return $"the node agent could not be reached: {e.Message}";
        }
        using (agent)
        {
            using var relay = CancellationTokenSource.CreateLinkedTokenSource(token);
            var upload = UploadAsync(client.Input, agent, relay);
            string? failure = null;
            try
            {
                failure = await DownloadAsync(agent, client, relay.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException && !token.IsCancellationRequested)
            {
                // The client reset the connection (the upload cancelled the relay) or the agent went away.
            }
            await relay.CancelAsync().ConfigureAwait(false);
            await upload.ConfigureAwait(false);
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await agent.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
            return failure;
        }
    }

    /// <summary>The client's bytes to the agent, then an empty message at its half-close; a reset cancels the relay.</summary>
    private static async Task UploadAsync(System.IO.Pipelines.PipeReader input, WebSocket agent, CancellationTokenSource relay)
    {
        try
        {
            while (true)
            {
                var read = await input.ReadAsync(relay.Token).ConfigureAwait(false);
                foreach (var segment in read.Buffer)
                    await agent.SendAsync(segment, WebSocketMessageType.Binary, true, relay.Token).ConfigureAwait(false);
                input.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted)
                    break;
            }
            await agent.SendAsync(ReadOnlyMemory<byte>.Empty, WebSocketMessageType.Binary, true, relay.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A reset from the client (or the connection's end) ends the whole forwarded connection.
            if (e is IOException)
                await relay.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The pod's bytes to the client until the agent closes; the agent's text message is a failure.</summary>
    private static async Task<string?> DownloadAsync(WebSocket agent, PortClient client, CancellationToken token)
    {
        var reader = new WebSocketMessageReader(agent);
        while (await reader.ReadAsync(token).ConfigureAwait(false) is var (data, type))
        {
            if (type == WebSocketMessageType.Text)
                return Encoding.UTF8.GetString(data.Span);
            if (!data.IsEmpty)
                await client.WriteAsync(data, token).ConfigureAwait(false);
        }
        return null;
    }
}
