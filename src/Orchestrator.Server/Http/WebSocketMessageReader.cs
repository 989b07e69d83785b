using System.Buffers;
using System.Net.WebSockets;

namespace Orchestrator.Server.Http;

/// <summary>Reads whole WebSocket messages: a message may arrive in several receives, and its framing is per message.</summary>
internal sealed class WebSocketMessageReader(WebSocket socket, int maxMessage = 4 * 1024 * 1024)
{
    private readonly byte[] buffer = new byte[32 * 1024];
    private readonly ArrayBufferWriter<byte> message = new();

    /// <summary>
    /// The next message, valid until the next call; null at the peer's close, or when a message is larger than the
    /// limit (no client or agent of ours writes one; the session ends).
    /// </summary>
    public async ValueTask<(ReadOnlyMemory<byte> Data, WebSocketMessageType Type)?> ReadAsync(CancellationToken token)
    {
        message.ResetWrittenCount();
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, token).ConfigureAwait(false);
            if (received.MessageType == WebSocketMessageType.Close || message.WrittenCount + received.Count > maxMessage)
                return null;
            message.Write(buffer.AsSpan(0, received.Count));
            if (received.EndOfMessage)
                return (message.WrittenMemory, received.MessageType);
        }
    }
}
