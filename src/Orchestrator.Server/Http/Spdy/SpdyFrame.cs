using System.Buffers.Binary;

namespace Orchestrator.Server.Http.Spdy;

/// <summary>
/// One SPDY/3.1 frame as read off the wire. Control frames start with the control bit, version 3 and a type; data
/// frames with a 31-bit stream id. Both have 8 bits of flags and a 24-bit length.
/// </summary>
internal readonly record struct SpdyFrame(bool IsControl, SpdyFrameType Type, uint StreamId, byte Flags, byte[] Payload)
{
    public const byte FlagFin = 0x01;
    public const int HeaderLength = 8;
    public const int Version = 3;

    /// <summary>Larger frames end the connection; kubectl's data frames are at most 32 KiB.</summary>
    public const int MaxPayload = 1 << 20;

    public bool Fin => (Flags & FlagFin) != 0;

    /// <summary>The next frame, or null when the transport ends cleanly between frames.</summary>
    public static async Task<SpdyFrame?> ReadAsync(Stream transport, CancellationToken token)
    {
        var header = new byte[HeaderLength];
        var got = await transport.ReadAtLeastAsync(header, HeaderLength, throwOnEndOfStream: false, token).ConfigureAwait(false);
        if (got == 0)
            return null;
        if (got < HeaderLength)
            throw new EndOfStreamException("the SPDY connection ended inside a frame header");
        var length = (header[5] << 16) | (header[6] << 8) | header[7];
        if (length > MaxPayload)
            throw new InvalidDataException($"SPDY frame of {length} bytes is larger than {MaxPayload}");
        var payload = new byte[length];
        await transport.ReadExactlyAsync(payload, token).ConfigureAwait(false);
        var first = BinaryPrimitives.ReadUInt32BigEndian(header);
        if ((first & 0x8000_0000) == 0)
            return new SpdyFrame(false, SpdyFrameType.Data, first, header[4], payload);
        var version = (int)(first >> 16) & 0x7fff;
        if (version != Version)
            throw new InvalidDataException($"SPDY version {version} is not supported (3.1 is)");
        var type = (SpdyFrameType)(first & 0xffff);
        // The stream a control frame concerns, where it has one, is the payload's first word.
        var stream = type is SpdyFrameType.SynStream or SpdyFrameType.SynReply or SpdyFrameType.RstStream or SpdyFrameType.Headers
            or SpdyFrameType.WindowUpdate && payload.Length >= 4
            ? BinaryPrimitives.ReadUInt32BigEndian(payload) & 0x7fff_ffff
            : 0;
        return new SpdyFrame(true, type, stream, header[4], payload);
    }

    public static byte[] Control(SpdyFrameType type, byte flags, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[HeaderLength + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, 0x8000_0000u | (Version << 16) | (uint)type);
        WriteFlagsAndLength(frame, flags, payload.Length);
        payload.CopyTo(frame.AsSpan(HeaderLength));
        return frame;
    }

    public static byte[] Data(uint streamId, byte flags, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[HeaderLength + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, streamId & 0x7fff_ffff);
        WriteFlagsAndLength(frame, flags, payload.Length);
        payload.CopyTo(frame.AsSpan(HeaderLength));
        return frame;
    }

    private static void WriteFlagsAndLength(Span<byte> frame, byte flags, int length)
    {
        frame[4] = flags;
        frame[5] = (byte)(length >> 16);
        frame[6] = (byte)(length >> 8);
        frame[7] = (byte)length;
    }
}

internal enum SpdyFrameType : ushort
{
    Data = 0,
    SynStream = 1,
    SynReply = 2,
    RstStream = 3,
    Settings = 4,
    Ping = 6,
    GoAway = 7,
    Headers = 8,
    WindowUpdate = 9,
}
