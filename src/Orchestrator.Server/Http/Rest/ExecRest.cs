using System.Net.WebSockets;
using System.Text;
using Orchestrator.Api.Errors;

namespace Orchestrator.Server.Http.Rest;

// GET pods/{name}/exec (WebSocket, subprotocol v5.channel.k8s.io, as kubectl 1.32 speaks it): open the same
// WebSocket to the pod's node agent and relay binary messages both ways unchanged; the agent speaks the channel
// protocol (0 stdin, 1 stdout, 2 stderr, 3 status, 4 resize, 255 close).
public sealed class ExecRest(PodAgents pods) : ISubresourceRest
{
    public const string ExecProtocol = "v5.channel.k8s.io";

    private static readonly string[] ExecParameters = ["command", "stdin", "stdout", "stderr", "tty"];

    public async Task HandleAsync(RestRequest request)
    {
        var context = request.Context;
        var token = request.Token;
        if (!context.WebSockets.IsWebSocketRequest)
            throw ApiException.BadRequest("exec needs a WebSocket upgrade with subprotocol " + ExecProtocol);
        if (!context.WebSockets.WebSocketRequestedProtocols.Contains(ExecProtocol))
            throw ApiException.BadRequest($"exec supports only the {ExecProtocol} subprotocol");
        if (context.Request.Query["command"].Count == 0)
            throw ApiException.BadRequest("you must specify at least 1 command");
        var (address, container, nodeName) = await pods.TargetAsync(request, "runs commands", token);

        var target = new StringBuilder($"wss://{address.Authority}/exec/{Uri.EscapeDataString(request.Info.Namespace!)}/{Uri.EscapeDataString(request.Name)}/{Uri.EscapeDataString(container)}");
        var separator = '?';
        foreach (var parameter in ExecParameters)
        {
            foreach (var value in context.Request.Query[parameter])
            {
                target.Append(separator).Append(parameter).Append('=').Append(Uri.EscapeDataString(RestRequest.Normalized(parameter, value ?? "")));
                separator = '&';
            }
        }
        ClientWebSocket upstreamSocket;
        try
        {
            using var connect = CancellationTokenSource.CreateLinkedTokenSource(token);
            connect.CancelAfter(TimeSpan.FromSeconds(10));
            upstreamSocket = await pods.Connections.ConnectWebSocketAsync(new Uri(target.ToString()), ExecProtocol, connect.Token);
        }
        catch (Exception e) when (e is WebSocketException or HttpRequestException or OperationCanceledException && !token.IsCancellationRequested)
        {
            throw ApiException.ServiceUnavailable($"the node agent of {nodeName} could not be reached: {e.Message}");
        }
        using var upstream = upstreamSocket;
        using var client = await context.WebSockets.AcceptWebSocketAsync(ExecProtocol);
        using var done = CancellationTokenSource.CreateLinkedTokenSource(token);
        var toAgent = RelayAsync(client, upstream, done.Token);
        var toClient = RelayAsync(upstream, client, done.Token);
        // Whoever closes first, the other side is told with a close of its own and given a moment to answer.
        // Cancelling a pending receive would abort the socket (a reset instead of a clean end), so that is last.
        if (await Task.WhenAny(toAgent, toClient) == toClient)
        {
            await CloseOutputQuietlyAsync(upstream);
            await CloseOutputQuietlyAsync(client);
            await Task.WhenAny(toAgent, Task.Delay(TimeSpan.FromSeconds(5), token));
        }
        else
        {
            await CloseOutputQuietlyAsync(upstream);
            await Task.WhenAny(toClient, Task.Delay(TimeSpan.FromSeconds(5), token));
            await CloseOutputQuietlyAsync(client);
        }
        await done.CancelAsync();
    }

    private static async Task RelayAsync(WebSocket from, WebSocket to, CancellationToken token)
    {
        var buffer = new byte[32 * 1024];
        try
        {
            while (!token.IsCancellationRequested)
            {
                var received = await from.ReceiveAsync(buffer, token);
                if (received.MessageType == WebSocketMessageType.Close)
                    return;
                await to.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // One side went away: the session is over.
        }
    }

    private static async Task CloseOutputQuietlyAsync(WebSocket socket)
    {
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }
}
