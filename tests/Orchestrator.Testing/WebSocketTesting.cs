using System.Net.WebSockets;

namespace Orchestrator.Testing;

/// <summary>What tests of the streaming subresources do with WebSockets of their own.</summary>
public static class WebSocketTesting
{
    /// <summary>A WebSocket upgrade as an ordinary request, to see how one that is refused is answered.</summary>
    public static HttpRequestMessage UpgradeRequest(string path, string protocol)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Connection", "Upgrade");
        request.Headers.TryAddWithoutValidation("Upgrade", "websocket");
        request.Headers.TryAddWithoutValidation("Sec-WebSocket-Version", "13");
        request.Headers.TryAddWithoutValidation("Sec-WebSocket-Key", Convert.ToBase64String(Guid.NewGuid().ToByteArray()));
        request.Headers.TryAddWithoutValidation("Sec-WebSocket-Protocol", protocol);
        return request;
    }

    /// <summary>Every whole message until the server's close.</summary>
    public static async Task<List<(WebSocketMessageType Type, byte[] Data)>> ReceiveUntilCloseAsync(WebSocket socket, CancellationToken token)
    {
        var messages = new List<(WebSocketMessageType, byte[])>();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            using var message = new MemoryStream();
            WebSocketReceiveResult received;
            do
            {
                received = await socket.ReceiveAsync(buffer, token);
                message.Write(buffer, 0, received.Count);
            }
            while (!received.EndOfMessage);
            if (received.MessageType == WebSocketMessageType.Close)
                return messages;
            messages.Add((received.MessageType, message.ToArray()));
        }
    }
}
