using System.Text;
using Orchestrator.Api.Errors;

namespace Orchestrator.Api.Protobuf;

/// <summary>
/// A forward-only reader of protobuf wire format over a span. Every malformed or truncated input
/// becomes a 400, because it is the client's body that is wrong.
/// </summary>
internal ref struct ProtoReader
{
    // Strict: invalid UTF-8 in a string field is a malformed body, not something to paper over.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _data;
    private readonly string _message;
    private int _position;

    /// <param name="message">The message being read, named in error messages.</param>
    public ProtoReader(ReadOnlySpan<byte> data, string message)
    {
        _data = data;
        _message = message;
        _position = 0;
    }

    /// <summary>The message being read.</summary>
    public readonly string MessageName => _message;

    public readonly bool HasMore => _position < _data.Length;

    public bool TryReadTag(out int fieldNumber, out WireType wireType)
    {
        if (_position >= _data.Length)
        {
            fieldNumber = 0;
            wireType = default;
            return false;
        }

        ulong tag = ReadVarint();
        fieldNumber = checked((int)Math.Min(tag >> 3, int.MaxValue));
        int type = (int)(tag & 7);
        if (fieldNumber == 0)
        {
            throw Malformed("field number 0");
        }

        if (type is not (0 or 1 or 2 or 5))
        {
            throw Malformed($"unsupported wire type {type} for field {fieldNumber}");
        }

        wireType = (WireType)type;
        return true;
    }

    public ulong ReadVarint()
    {
        ulong result = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _data.Length)
            {
                throw Truncated();
            }

            byte b = _data[_position++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw Malformed("varint longer than 10 bytes");
    }

    public ReadOnlySpan<byte> ReadLengthDelimited()
    {
        ulong length = ReadVarint();
        if (length > (ulong)(_data.Length - _position))
        {
            throw Truncated();
        }

        ReadOnlySpan<byte> value = _data.Slice(_position, (int)length);
        _position += (int)length;
        return value;
    }

    public string ReadString()
    {
        ReadOnlySpan<byte> bytes = ReadLengthDelimited();
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Malformed("string field is not valid UTF-8");
        }
    }

    /// <summary>Skips a field this decoder has no schema for (protobuf forward compatibility).</summary>
    public void Skip(WireType wireType)
    {
        switch (wireType)
        {
            case WireType.Varint:
                ReadVarint();
                break;
            case WireType.LengthDelimited:
                ReadLengthDelimited();
                break;
            case WireType.Fixed64:
                Advance(8);
                break;
            case WireType.Fixed32:
                Advance(4);
                break;
        }
    }

    public readonly ApiException Malformed(string detail) =>
        ApiException.BadRequest($"malformed protobuf body in {_message}: {detail}");

    private void Advance(int count)
    {
        if (_data.Length - _position < count)
        {
            throw Truncated();
        }

        _position += count;
    }

    private readonly ApiException Truncated() =>
        ApiException.BadRequest($"truncated protobuf body in {_message}");
}
