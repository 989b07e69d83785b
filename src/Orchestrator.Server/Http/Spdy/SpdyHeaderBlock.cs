using System.Buffers.Binary;
using System.Text;
using ICSharpCode.SharpZipLib.Zip.Compression;

namespace Orchestrator.Server.Http.Spdy;

/// <summary>
/// Reads and writes SPDY/3 header blocks: a count, then length-prefixed name/value pairs, inside one zlib stream
/// per direction that lasts the whole connection. Incoming blocks are inflated with the SPDY dictionary; outgoing
/// ones are written as stored (uncompressed) deflate blocks ended by a sync-flush marker, which every zlib reader
/// accepts.
/// </summary>
internal sealed class SpdyHeaderBlock
{
    /// <summary>A decompressed block larger than this is refused (kubectl's are a few dozen bytes).</summary>
    private const int MaxBlock = 256 * 1024;

    private readonly Inflater inflater = new();
    private bool wroteZlibHeader;

    /// <summary>The pairs of one compressed block; names lower-cased, as SPDY/3 requires them.</summary>
    public Dictionary<string, string> Read(ReadOnlySpan<byte> compressed)
    {
        inflater.SetInput(compressed.ToArray());
        var plain = new MemoryStream();
        var buffer = new byte[4096];
        while (true)
        {
            var n = inflater.Inflate(buffer);
            if (n > 0)
            {
                plain.Write(buffer, 0, n);
                if (plain.Length > MaxBlock)
                    throw new InvalidDataException("SPDY header block too large");
                continue;
            }
            if (inflater.IsNeedingDictionary)
            {
                inflater.SetDictionary(SpdyHeaderDictionary.Bytes);
                continue;
            }
            if (inflater.IsNeedingInput || inflater.IsFinished)
                break;
        }
        return Parse(plain.GetBuffer().AsSpan(0, (int)plain.Length));
    }

    /// <summary>One block for the given pairs, continuing this direction's zlib stream.</summary>
    public byte[] Write(IReadOnlyList<KeyValuePair<string, string>> pairs)
    {
        var plain = new List<byte>();
        void Int(int value)
        {
            var number = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(number, value);
            plain.AddRange(number);
        }
        Int(pairs.Count);
        foreach (var (name, value) in pairs)
        {
            var n = Encoding.UTF8.GetBytes(name.ToLowerInvariant());
            var v = Encoding.UTF8.GetBytes(value);
            Int(n.Length);
            plain.AddRange(n);
            Int(v.Length);
            plain.AddRange(v);
        }
        var block = new List<byte>(plain.Count + 16);
        if (!wroteZlibHeader)
        {
            // CMF 0x78 (deflate, 32 KiB window), FLG 0x01: no dictionary, lowest level, header check bits.
            block.Add(0x78);
            block.Add(0x01);
            wroteZlibHeader = true;
        }
        for (var offset = 0; offset < plain.Count; offset += ushort.MaxValue)
        {
            var length = Math.Min(ushort.MaxValue, plain.Count - offset);
            // A stored block that is not the last: BFINAL 0, BTYPE 00, padded to the byte; LEN and its complement.
            block.Add(0);
            block.Add((byte)length);
            block.Add((byte)(length >> 8));
            block.Add((byte)~length);
            block.Add((byte)(~length >> 8));
            block.AddRange(plain.GetRange(offset, length));
        }
        // An empty stored block: zlib's sync-flush marker. A reader hands out a stored block's bytes only when it
        // reaches the next block, so without it the peer waits for bytes that belong to the next frame.
        block.AddRange([0, 0, 0, 0xff, 0xff]);
        return [.. block];
    }

    private static Dictionary<string, string> Parse(ReadOnlySpan<byte> plain)
    {
        var pairs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var count = ReadInt(ref plain);
        for (var i = 0; i < count; i++)
        {
            var name = ReadString(ref plain);
            pairs[name] = ReadString(ref plain);
        }
        return pairs;
    }

    private static int ReadInt(ref ReadOnlySpan<byte> span)
    {
        if (span.Length < 4)
            throw new InvalidDataException("truncated SPDY header block");
        var value = BinaryPrimitives.ReadInt32BigEndian(span);
        span = span[4..];
        return value;
    }

    private static string ReadString(ref ReadOnlySpan<byte> span)
    {
        var length = ReadInt(ref span);
        if (length < 0 || length > span.Length)
            throw new InvalidDataException("truncated SPDY header block");
        var text = Encoding.UTF8.GetString(span[..length]);
        span = span[length..];
        return text;
    }
}
