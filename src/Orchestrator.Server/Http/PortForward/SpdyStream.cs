using System.IO.Pipelines;

namespace Orchestrator.Server.Http.PortForward;

/// <summary>
/// A stream the client opened on a <see cref="SpdyConnection"/>: its headers, what it sends (ending at its FIN or
/// reset) and a way to answer. Closing sends our FIN once; writes after a reset are dropped.
/// </summary>
internal sealed class SpdyStream
{
    private readonly SpdyConnection connection;
    private readonly Pipe input = new(new PipeOptions(pauseWriterThreshold: 1 << 20, resumeWriterThreshold: 1 << 19));
    private int closed;
    private volatile bool reset;

    public SpdyStream(SpdyConnection connection, uint id, IReadOnlyDictionary<string, string> headers)
    {
        this.connection = connection;
        Id = id;
        Headers = headers;
    }

    public uint Id { get; }

    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The client's data on this stream; completes at its FIN, or with an error at a reset.</summary>
    public PipeReader Input => input.Reader;

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public async Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken token)
    {
        // SPDY/3.1 data frames may carry 16 MiB; smaller ones keep one stream from holding the connection long.
        for (var offset = 0; offset < data.Length && !reset && Volatile.Read(ref closed) == 0; offset += 32 * 1024)
        {
            var chunk = data.Slice(offset, Math.Min(32 * 1024, data.Length - offset));
            await connection.SendAsync(SpdyFrame.Data(Id, 0, chunk.Span), token).ConfigureAwait(false);
        }
    }

    /// <summary>Our half ends: an empty data frame with FIN.</summary>
    public async Task CloseAsync(CancellationToken token)
    {
        if (Interlocked.Exchange(ref closed, 1) == 0 && !reset)
            await connection.SendAsync(SpdyFrame.Data(Id, SpdyFrame.FlagFin, ReadOnlySpan<byte>.Empty), token).ConfigureAwait(false);
    }

    internal async Task ReceiveAsync(ReadOnlyMemory<byte> data, bool fin, CancellationToken token)
    {
        if (!data.IsEmpty)
            await input.Writer.WriteAsync(data, token).ConfigureAwait(false);
        if (fin)
            await input.Writer.CompleteAsync().ConfigureAwait(false);
    }

    /// <summary>The client reset the stream or the connection ended: no more input, no more output.</summary>
    internal void Abort(Exception reason)
    {
        reset = true;
        input.Writer.Complete(reason);
    }
}
