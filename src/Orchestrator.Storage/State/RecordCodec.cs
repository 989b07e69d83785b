using System.Buffers.Binary;

namespace Orchestrator.Storage.State;

/// <summary>How a user record sits in FASTER: createRevision(8), modRevision(8), value.</summary>
internal static class RecordCodec
{
    public const int HeaderSize = 16;

    public static byte[] Encode(long createRevision, long modRevision, ReadOnlySpan<byte> value)
    {
        var buffer = new byte[HeaderSize + value.Length];
        BinaryPrimitives.WriteInt64LittleEndian(buffer, createRevision);
        BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(8), modRevision);
        value.CopyTo(buffer.AsSpan(HeaderSize));
        return buffer;
    }

    public static KeyValue Decode(string key, byte[] stored) => new(
        key,
        stored.AsSpan(HeaderSize).ToArray(),
        BinaryPrimitives.ReadInt64LittleEndian(stored),
        BinaryPrimitives.ReadInt64LittleEndian(stored.AsSpan(8)));
}
