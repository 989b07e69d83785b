using System.Text;

namespace Orchestrator.Api.Tests.Protobuf;

/// <summary>Builds protobuf wire bytes by hand for shapes kubectl's generators never send.</summary>
internal sealed class ProtoBytes
{
    private readonly List<byte> _bytes = [];

    /// <summary>Magic + runtime.Unknown around <paramref name="raw"/>.</summary>
    public static byte[] Envelope(string apiVersion, string kind, ProtoBytes raw) =>
        [0x6b, 0x38, 0x73, 0x00, .. new ProtoBytes()
            .Message(1, new ProtoBytes().String(1, apiVersion).String(2, kind))
            .Message(2, raw)
            .ToArray()];

    public ProtoBytes Varint(int field, ulong value) => Tag(field, 0).Raw(value);

    public ProtoBytes String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public ProtoBytes Message(int field, ProtoBytes value) => Bytes(field, value.ToArray());

    public ProtoBytes Entry(int field, string key, string value) =>
        Message(field, new ProtoBytes().String(1, key).String(2, value));

    public ProtoBytes Bytes(int field, byte[] value)
    {
        Tag(field, 2).Raw((ulong)value.Length);
        _bytes.AddRange(value);
        return this;
    }

    public ProtoBytes Fixed32(int field, uint value)
    {
        Tag(field, 5);
        _bytes.AddRange(BitConverter.GetBytes(value));
        return this;
    }

    public byte[] ToArray() => [.. _bytes];

    private ProtoBytes Tag(int field, int wireType) => Raw((ulong)((field << 3) | wireType));

    private ProtoBytes Raw(ulong value)
    {
        while (value >= 0x80)
        {
            _bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }

        _bytes.Add((byte)value);
        return this;
    }
}
