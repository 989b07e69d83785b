using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Text;
using ICSharpCode.SharpZipLib.Zip.Compression;
using Orchestrator.Server.Http.PortForward;
using Orchestrator.Server.Http.Spdy;
using Xunit;

namespace Orchestrator.Server.Tests.Spdy;

/// <summary>
/// The SPDY/3.1 server side against a client written here the way Go's framer writes: header blocks compressed
/// with the SPDY dictionary and sync-flushed, one zlib stream per direction.
/// </summary>
public sealed class SpdyConnectionTests
{
    [Fact]
    public void The_header_dictionary_is_the_one_of_the_spec()
    {
        var dictionary = SpdyHeaderDictionary.Bytes;
        Assert.Equal(1423, dictionary.Length);
        Assert.Equal(7, BinaryPrimitives.ReadInt32BigEndian(dictionary));
        Assert.Equal("options", Encoding.ASCII.GetString(dictionary, 4, 7));
        Assert.EndsWith("enq=0.", Encoding.ASCII.GetString(dictionary));
    }

    [Fact]
    public void Blocks_compressed_with_the_dictionary_are_read_one_after_another()
    {
        var client = new DictionaryCompressor();
        var reader = new SpdyHeaderBlock();
        var first = reader.Read(client.Block(("streamtype", "error"), ("port", "8080"), ("requestid", "0")));
        var second = reader.Read(client.Block(("streamtype", "data"), ("port", "8080"), ("requestid", "0")));
        Assert.Equal("error", first["streamType"]);
        Assert.Equal("data", second["STREAMTYPE"]);
        Assert.Equal("8080", second["port"]);
    }

    [Fact]
    public void Written_blocks_are_a_zlib_stream_any_reader_continues_across_frames()
    {
        var writer = new SpdyHeaderBlock();
        var reader = new SpdyHeaderBlock();
        for (var i = 0; i < 3; i++)
        {
            var pairs = reader.Read(writer.Write([new("Status", $"{200 + i}"), new("x-big", new string('v', 70_000 * i))]));
            Assert.Equal($"{200 + i}", pairs["status"]);
            Assert.Equal(70_000 * i, pairs["x-big"].Length);
        }
    }

    [Fact]
    public async Task A_stream_is_answered_its_data_delivered_a_ping_echoed_and_the_reply_carries_our_fin()
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        var transport = new DuplexStream(toServer.Reader.AsStream(), toClient.Writer.AsStream());
        var connection = new SpdyConnection(transport, async stream =>
        {
            // Echo the client's bytes upper-cased, then end our half.
            var text = new StringBuilder();
            while (true)
            {
                var read = await stream.Input.ReadAsync();
                foreach (var segment in read.Buffer)
                    text.Append(Encoding.ASCII.GetString(segment.Span));
                stream.Input.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted)
                    break;
            }
            await stream.WriteAsync(Encoding.ASCII.GetBytes(stream.Header("greeting") + ":" + text.ToString().ToUpperInvariant()), CancellationToken.None);
            await stream.CloseAsync(CancellationToken.None);
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var running = connection.RunAsync(timeout.Token);
        var client = new DictionaryCompressor();
        var input = toServer.Writer.AsStream();
        var output = toClient.Reader.AsStream();

        var block = client.Block(("greeting", "hi"));
        var syn = new byte[10 + block.Length];
        BinaryPrimitives.WriteUInt32BigEndian(syn, 1);
        block.CopyTo(syn, 10);
        await input.WriteAsync(SpdyFrame.Control(SpdyFrameType.SynStream, 0, syn), timeout.Token);
        var reply = await SpdyFrame.ReadAsync(output, timeout.Token);
        Assert.Equal((true, SpdyFrameType.SynReply, 1u), (reply!.Value.IsControl, reply.Value.Type, reply.Value.StreamId));

        await input.WriteAsync(SpdyFrame.Control(SpdyFrameType.Ping, 0, [0, 0, 0, 7]), timeout.Token);
        var pong = await SpdyFrame.ReadAsync(output, timeout.Token);
        Assert.Equal((SpdyFrameType.Ping, 7), (pong!.Value.Type, BinaryPrimitives.ReadInt32BigEndian(pong.Value.Payload)));

        await input.WriteAsync(SpdyFrame.Data(1, 0, "abc"u8), timeout.Token);
        await input.WriteAsync(SpdyFrame.Data(1, SpdyFrame.FlagFin, "def"u8), timeout.Token);
        var data = await SpdyFrame.ReadAsync(output, timeout.Token);
        Assert.Equal("hi:ABCDEF", Encoding.ASCII.GetString(data!.Value.Payload));
        var fin = await SpdyFrame.ReadAsync(output, timeout.Token);
        Assert.True(fin!.Value.Fin);
        Assert.Empty(fin.Value.Payload);

        // GOAWAY ends the connection.
        await input.WriteAsync(SpdyFrame.Control(SpdyFrameType.GoAway, 0, new byte[8]), timeout.Token);
        await running;
    }

    [Fact]
    public async Task A_frame_of_another_SPDY_version_ends_the_connection()
    {
        var frame = SpdyFrame.Control(SpdyFrameType.Ping, 0, [0, 0, 0, 1]);
        frame[1] = 2;
        await Assert.ThrowsAsync<InvalidDataException>(() => SpdyFrame.ReadAsync(new MemoryStream(frame), CancellationToken.None));
    }

    [Fact]
    public async Task Port_forward_pairs_streams_by_request_id_and_fails_a_stream_whose_partner_never_comes()
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        var forwarded = new List<int>();
        var portForward = new SpdyPortForward(async client =>
        {
            lock (forwarded)
                forwarded.Add(client.Port);
            await client.WriteAsync(Encoding.ASCII.GetBytes($"port {client.Port}"), CancellationToken.None);
            await client.CloseAsync(CancellationToken.None);
        }, TimeSpan.FromMilliseconds(300));
        var connection = new SpdyConnection(new DuplexStream(toServer.Reader.AsStream(), toClient.Writer.AsStream()), portForward.OnStreamAsync);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var running = connection.RunAsync(timeout.Token);
        var compressor = new DictionaryCompressor();
        var input = toServer.Writer.AsStream();
        var output = toClient.Reader.AsStream();
        async Task OpenAsync(uint id, params (string, string)[] headers)
        {
            var block = compressor.Block(headers);
            var syn = new byte[10 + block.Length];
            BinaryPrimitives.WriteUInt32BigEndian(syn, id);
            block.CopyTo(syn, 10);
            await input.WriteAsync(SpdyFrame.Control(SpdyFrameType.SynStream, 0, syn), timeout.Token);
        }

        // Request 0: error then data stream, interleaved with request 1's error stream whose data stream never comes.
        await OpenAsync(1, ("streamType", "error"), ("port", "8080"), ("requestID", "0"));
        await OpenAsync(3, ("streamType", "error"), ("port", "9090"), ("requestID", "1"));
        await OpenAsync(5, ("streamType", "data"), ("port", "8080"), ("requestID", "0"));
        var frames = new List<SpdyFrame>();
        // Three replies, the forwarded data and FINs on 5 and 1, then the timed-out error text and FIN on 3.
        while (frames.Count(f => f.Fin) < 3)
            frames.Add((await SpdyFrame.ReadAsync(output, timeout.Token))!.Value);

        Assert.Equal([1u, 3u, 5u], frames.Where(f => f.IsControl && f.Type == SpdyFrameType.SynReply).Select(f => f.StreamId).Order());
        Assert.Equal("port 8080", Encoding.ASCII.GetString(frames.Single(f => !f.IsControl && f.StreamId == 5 && !f.Fin).Payload));
        Assert.Equal("timed out waiting for the data stream of request 1",
            Encoding.ASCII.GetString(frames.Single(f => !f.IsControl && f.StreamId == 3 && !f.Fin).Payload));
        Assert.Equal([1u, 3u, 5u], frames.Where(f => !f.IsControl && f.Fin).Select(f => f.StreamId).Order());
        Assert.Equal([8080], forwarded);

        await input.WriteAsync(SpdyFrame.Control(SpdyFrameType.GoAway, 0, new byte[8]), timeout.Token);
        await running;
    }

    /// <summary>A header block writer as Go's SPDY framer is: zlib with the SPDY dictionary, sync-flushed per block.</summary>
    private sealed class DictionaryCompressor
    {
        private readonly Deflater deflater = new(Deflater.BEST_COMPRESSION);

        public DictionaryCompressor() => deflater.SetDictionary(SpdyHeaderDictionary.Bytes);

        public byte[] Block(params (string Name, string Value)[] pairs)
        {
            var plain = new MemoryStream();
            void Int(int value)
            {
                var bytes = new byte[4];
                BinaryPrimitives.WriteInt32BigEndian(bytes, value);
                plain.Write(bytes);
            }
            Int(pairs.Length);
            foreach (var (name, value) in pairs)
            {
                Int(name.Length);
                plain.Write(Encoding.ASCII.GetBytes(name));
                Int(value.Length);
                plain.Write(Encoding.ASCII.GetBytes(value));
            }
            deflater.SetInput(plain.ToArray());
            deflater.Flush();
            var output = new MemoryStream();
            var buffer = new byte[4096];
            int n;
            while ((n = deflater.Deflate(buffer)) > 0)
                output.Write(buffer, 0, n);
            return output.ToArray();
        }
    }

    private sealed class DuplexStream(Stream read, Stream write) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => write.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => write.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => read.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => read.ReadAsync(buffer, cancellationToken);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => write.Write(buffer, offset, count);
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => write.WriteAsync(buffer, cancellationToken);
    }
}
