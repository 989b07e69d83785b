using System.Globalization;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Http;
using Orchestrator.Node.Network;

namespace Orchestrator.Node.Agent;

// GET /portforward/{ns}/{pod}?port=N as a WebSocket: one TCP connection to localhost:N inside the pod's network
// namespace. Binary messages carry the bytes both ways; an empty binary message from the API server ends its side
// (the connection is half-closed); the agent closes the WebSocket when the pod's side ends. A connection that
// cannot be made is one text message with the reason, then the close.
public sealed partial class NodeAgent
{
    private async Task ServePortForwardAsync(HttpContext http, string ns, string podName, CancellationToken token)
    {
        if (!int.TryParse(http.Request.Query["port"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            await WriteTextAsync(http.Response, 400, "port must be a number between 1 and 65535").ConfigureAwait(false);
            return;
        }
        if (!http.WebSockets.IsWebSocketRequest)
        {
            await WriteTextAsync(http.Response, 400, "a WebSocket upgrade is needed").ConfigureAwait(false);
            return;
        }
        var worker = workers.Values.FirstOrDefault(w => w.Namespace == ns && w.Name == podName);
        if (worker?.NetworkNamespacePath is not { } netns || !File.Exists(netns))
        {
            await WriteTextAsync(http.Response, 404, $"pod {ns}/{podName} has no network on node {options.NodeName}").ConfigureAwait(false);
            return;
        }
        using var socket = await http.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        Socket target;
        try
        {
            using var dial = CancellationTokenSource.CreateLinkedTokenSource(token);
            dial.CancelAfter(TimeSpan.FromSeconds(10));
            target = await NamespaceDialer.ConnectAsync(netns, port, dial.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException && !token.IsCancellationRequested)
        {
            var reason = e is OperationCanceledException ? "timed out" : e.Message;
            var message = $"failed to connect to localhost:{port} inside the network namespace of pod {ns}/{podName}: {reason}";
            await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, token).ConfigureAwait(false);
            await CloseQuietlyAsync(socket).ConfigureAwait(false);
            return;
        }
        using (target)
        {
            using var relay = CancellationTokenSource.CreateLinkedTokenSource(token);
            var upload = ForwardToPodAsync(socket, target, relay.Token);
            try
            {
                var buffer = new byte[32 * 1024];
                int n;
                while ((n = await target.ReceiveAsync(buffer, SocketFlags.None, relay.Token).ConfigureAwait(false)) > 0)
                    await socket.SendAsync(buffer.AsMemory(0, n), WebSocketMessageType.Binary, true, relay.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or WebSocketException or OperationCanceledException)
            {
                // Either side went away: the close below ends the other.
            }
            await CloseQuietlyAsync(socket).ConfigureAwait(false);
            // The API server answers the close, which ends the upload. Cancelling a receive aborts the socket, and an
            // abort resets the connection, which can lose the pod's last bytes still on their way: so wait a moment.
            if (await Task.WhenAny(upload, Task.Delay(TimeSpan.FromSeconds(5), token)).ConfigureAwait(false) != upload)
                await relay.CancelAsync().ConfigureAwait(false);
            await upload.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The API server's bytes into the pod until its empty message (a half-close: the pod reads its end) and then
    /// its close, which is read too: a socket disposed with unread input is reset, losing what is still in flight.
    /// </summary>
    private static async Task ForwardToPodAsync(WebSocket socket, Socket target, CancellationToken token)
    {
        var buffer = new byte[32 * 1024];
        var messageLength = 0;
        var halfClosed = false;
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, token).ConfigureAwait(false);
                if (received.MessageType == WebSocketMessageType.Close)
                    break;
                messageLength += received.Count;
                if (received.Count > 0 && !halfClosed)
                    await target.SendAsync(buffer.AsMemory(0, received.Count), SocketFlags.None, token).ConfigureAwait(false);
                if (!received.EndOfMessage)
                    continue;
                if (messageLength == 0 && !halfClosed)
                {
                    halfClosed = true;
                    target.Shutdown(SocketShutdown.Send);
                }
                messageLength = 0;
            }
            // A close without a half-close first: the API server gave up on the connection, so does the pod's side.
            if (!halfClosed)
                target.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private static async Task CloseQuietlyAsync(WebSocket socket)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }
}
