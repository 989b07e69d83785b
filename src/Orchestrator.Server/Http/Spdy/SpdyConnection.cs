using System.Buffers.Binary;
using System.Collections.Concurrent;

namespace Orchestrator.Server.Http.Spdy;

/// <summary>
/// The server side of a SPDY/3.1 connection, as kube's port-forward clients speak it (over an upgraded HTTP/1.1
/// connection or tunneled in WebSocket binary messages). The client opens every stream: each SYN_STREAM is answered
/// with a SYN_REPLY and handed to <c>onStream</c>. PINGs are echoed. Flow control is not enforced in either
/// direction (WINDOW_UPDATE is ignored and never sent), matching the Go implementation those clients use.
/// </summary>
internal sealed class SpdyConnection(Stream transport, Func<SpdyStream, Task> onStream)
{
    private readonly ConcurrentDictionary<uint, SpdyStream> streams = new();
    private readonly SemaphoreSlim writing = new(1, 1);
    private readonly SpdyHeaderBlock incomingHeaders = new();
    private readonly SpdyHeaderBlock outgoingHeaders = new();
    private readonly List<Task> handlers = [];

    /// <summary>Reads frames until the client leaves or sends GOAWAY, then ends every stream and waits for the handlers.</summary>
    public async Task RunAsync(CancellationToken token)
    {
        Exception ended = new IOException("the port-forward connection ended");
        try
        {
            while (await SpdyFrame.ReadAsync(transport, token).ConfigureAwait(false) is { } frame)
            {
                if (!await HandleAsync(frame, token).ConfigureAwait(false))
                    break;
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or OperationCanceledException or ObjectDisposedException
            or System.Net.WebSockets.WebSocketException or ICSharpCode.SharpZipLib.SharpZipBaseException)
        {
            ended = e as IOException ?? new IOException(e.Message, e);
        }
        finally
        {
            foreach (var stream in streams.Values)
                stream.Abort(ended);
        }
        Task[] running;
        lock (handlers)
            running = [.. handlers];
        await Task.WhenAll(running).ConfigureAwait(false);
    }

    internal async Task SendAsync(byte[] frame, CancellationToken token)
    {
        await writing.WaitAsync(token).ConfigureAwait(false);
        try
        {
            await transport.WriteAsync(frame, token).ConfigureAwait(false);
            await transport.FlushAsync(token).ConfigureAwait(false);
        }
        finally
        {
            writing.Release();
        }
    }

    /// <returns>False when the connection is to end.</returns>
    private async Task<bool> HandleAsync(SpdyFrame frame, CancellationToken token)
    {
        if (!frame.IsControl)
        {
            // Data for a stream that was reset or never opened is dropped, as SPDY asks.
            if (streams.TryGetValue(frame.StreamId, out var target))
            {
                await target.ReceiveAsync(frame.Payload, frame.Fin, token).ConfigureAwait(false);
            }
            return true;
        }
        switch (frame.Type)
        {
            case SpdyFrameType.SynStream:
                await OpenAsync(frame, token).ConfigureAwait(false);
                return true;
            case SpdyFrameType.RstStream:
                if (streams.TryRemove(frame.StreamId, out var reset))
                    reset.Abort(new IOException($"the client reset stream {frame.StreamId}"));
                return true;
            case SpdyFrameType.Ping:
                await SendAsync(SpdyFrame.Control(SpdyFrameType.Ping, 0, frame.Payload), token).ConfigureAwait(false);
                return true;
            case SpdyFrameType.GoAway:
                return false;
            default:
                // SETTINGS, HEADERS, WINDOW_UPDATE: nothing a port-forward server acts on. HEADERS still advance the
                // peer's zlib stream, so their block is read.
                if (frame.Type == SpdyFrameType.Headers && frame.Payload.Length > 4)
                    incomingHeaders.Read(frame.Payload.AsSpan(4));
                return true;
        }
    }

    private async Task OpenAsync(SpdyFrame frame, CancellationToken token)
    {
        // Stream id, associated stream id, priority and slot, then the header block.
        if (frame.Payload.Length < 10)
            throw new InvalidDataException("short SPDY SYN_STREAM");
        var headers = incomingHeaders.Read(frame.Payload.AsSpan(10));
        var stream = new SpdyStream(this, frame.StreamId, headers);
        if (!streams.TryAdd(frame.StreamId, stream))
            throw new InvalidDataException($"SPDY stream {frame.StreamId} opened twice");
        await writing.WaitAsync(token).ConfigureAwait(false);
        try
        {
            // The reply's header block must go out in the order it was compressed, so both happen under the lock.
            var block = outgoingHeaders.Write([]);
            var payload = new byte[4 + block.Length];
            BinaryPrimitives.WriteUInt32BigEndian(payload, frame.StreamId);
            block.CopyTo(payload, 4);
            await transport.WriteAsync(SpdyFrame.Control(SpdyFrameType.SynReply, 0, payload), token).ConfigureAwait(false);
            await transport.FlushAsync(token).ConfigureAwait(false);
        }
        finally
        {
            writing.Release();
        }
        if (frame.Fin)
            await stream.ReceiveAsync(ReadOnlyMemory<byte>.Empty, fin: true, token).ConfigureAwait(false);
        lock (handlers)
        {
            handlers.RemoveAll(t => t.IsCompleted);
            handlers.Add(Task.Run(() => onStream(stream), CancellationToken.None));
        }
    }

    /// <summary>A stream both sides are done with is forgotten.</summary>
    internal void Forget(SpdyStream stream) => streams.TryRemove(stream.Id, out _);
}
