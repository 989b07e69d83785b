using System.IO.Pipelines;

namespace Orchestrator.Server.Http.Spdy;

/// <summary>
/// A stream the client opened on a <see cref="SpdyConnection"/>: its headers, what it sends (ending at its FIN or
/// reset) and a way to answer. Closing sends our FIN once; writes after a reset are dropped.
/// </summary>
internal sealed class SpdyStream
{
    private readonly SpdyConnection connection;
    private readonly Pipe input = new(new PipeOptions(pauseWriterThreshold: 1 << 20, resumeWriterThreshold: 1 << 19));
    private readonly CancellationTokenSource aborted = new();
    private int closed;
    private int halvesDone;
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

    /// <summary>Cancelled when the client resets the stream or the connection ends.</summary>
    public CancellationToken Aborted => aborted.Token;

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
        if (Interlocked.Exchange(ref closed, 1) != 0)
            return;
        if (!reset)
            await connection.SendAsync(SpdyFrame.Data(Id, SpdyFrame.FlagFin, ReadOnlySpan<byte>.Empty), token).ConfigureAwait(false);
        HalfDone();
    }

    /// <summary>Once both halves have ended the connection forgets the stream (later frames for it are dropped).</summary>
    private void HalfDone()
    {
        if (Interlocked.Increment(ref halvesDone) == 2)
            connection.Forget(this);
    }

    internal async Task ReceiveAsync(ReadOnlyMemory<byte> data, bool fin, CancellationToken token)
    {
        if (!data.IsEmpty)
            await input.Writer.WriteAsync(data, token).ConfigureAwait(false);
        if (fin)
        {
            await input.Writer.CompleteAsync().ConfigureAwait(false);
            HalfDone();
        }
    }

    /// <summary>The client reset the stream or the connection ended: no more input, no more output.</summary>
    internal void Abort(Exception reason)
    {
        reset = true;
        input.Writer.Complete(reason);
        aborted.Cancel();
    }
}
