using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Orchestrator.Storage.Commands;

/// <summary>
/// One replicated write. <see cref="ExpectedRevision"/> is the compare-and-swap precondition:
/// 0 means "any" for update and delete. <see cref="Id"/> makes a retried proposal apply at most once.
/// </summary>
public sealed record StoreCommand(Guid Id, CommandType Type, string Key, long ExpectedRevision, ReadOnlyMemory<byte> Value)
{
    private const byte FormatVersion = 1;

    public static StoreCommand Create(string key, ReadOnlyMemory<byte> value) =>
        new(Guid.NewGuid(), CommandType.Create, key, 0, value);

    public static StoreCommand Update(string key, ReadOnlyMemory<byte> value, long expectedRevision = 0) =>
        new(Guid.NewGuid(), CommandType.Update, key, expectedRevision, value);

    public static StoreCommand Delete(string key, long expectedRevision = 0) =>
        new(Guid.NewGuid(), CommandType.Delete, key, expectedRevision, ReadOnlyMemory<byte>.Empty);

    /// <summary>Layout: version, type, id(16), expected(8), keyLen(4), key, valueLen(4), value.</summary>
    public byte[] Encode()
    {
        var keyBytes = Encoding.UTF8.GetBytes(Key);
        var buffer = new byte[1 + 1 + 16 + 8 + 4 + keyBytes.Length + 4 + Value.Length];
        var span = buffer.AsSpan();
        span[0] = FormatVersion;
        span[1] = (byte)Type;
        Id.TryWriteBytes(span.Slice(2, 16));
        BinaryPrimitives.WriteInt64LittleEndian(span.Slice(18), ExpectedRevision);
        BinaryPrimitives.WriteInt32LittleEndian(span.Slice(26), keyBytes.Length);
        keyBytes.CopyTo(span.Slice(30));
        var offset = 30 + keyBytes.Length;
        BinaryPrimitives.WriteInt32LittleEndian(span.Slice(offset), Value.Length);
        Value.Span.CopyTo(span.Slice(offset + 4));
        return buffer;
    }

    /// <summary>Decodes a log entry. An entry that does not decode is a fatal error for the state machine.</summary>
    public static StoreCommand Decode(ReadOnlySequence<byte> payload)
    {
        var bytes = payload.IsSingleSegment ? payload.First.Span : payload.ToArray();
        return Decode(bytes);
    }

    public static StoreCommand Decode(ReadOnlySpan<byte> span)
    {
        if (span.Length < 30 || span[0] != FormatVersion)
            throw new InvalidDataException($"Unknown store command format (length {span.Length}).");
        var type = (CommandType)span[1];
        var id = new Guid(span.Slice(2, 16));
        var expected = BinaryPrimitives.ReadInt64LittleEndian(span.Slice(18));
        var keyLength = BinaryPrimitives.ReadInt32LittleEndian(span.Slice(26));
        var key = Encoding.UTF8.GetString(span.Slice(30, keyLength));
        var offset = 30 + keyLength;
        var valueLength = BinaryPrimitives.ReadInt32LittleEndian(span.Slice(offset));
        var value = span.Slice(offset + 4, valueLength).ToArray();
        return new StoreCommand(id, type, key, expected, value);
    }
}
