namespace Orchestrator.Api.Protobuf;

/// <summary>
/// runtime.Unknown, the wrapper after the magic: {1 typeMeta{1 apiVersion, 2 kind}, 2 raw,
/// 3 contentEncoding, 4 contentType}. Raw stays a slice of the body, not a copy.
/// </summary>
internal readonly ref struct UnknownEnvelope
{
    public string ApiVersion { get; private init; }

    public string Kind { get; private init; }

    public ReadOnlySpan<byte> Raw { get; private init; }

    public string ContentEncoding { get; private init; }

    public static UnknownEnvelope Read(ReadOnlySpan<byte> data)
    {
        var reader = new ProtoReader(data, "runtime.Unknown");
        (string apiVersion, string kind) = ("", "");
        ReadOnlySpan<byte> raw = default;
        string contentEncoding = "";
        while (reader.TryReadTag(out int number, out WireType wireType))
        {
            if (wireType != WireType.LengthDelimited)
            {
                reader.Skip(wireType);
                continue;
            }

            switch (number)
            {
                case 1:
                    (apiVersion, kind) = ReadTypeMeta(reader.ReadLengthDelimited());
                    break;
                case 2:
                    raw = reader.ReadLengthDelimited();
                    break;
                case 3:
                    contentEncoding = reader.ReadString();
                    break;
                default:
                    // 4 is contentType, empty for protobuf; other numbers are future fields.
                    reader.Skip(wireType);
                    break;
            }
        }

        return new UnknownEnvelope { ApiVersion = apiVersion, Kind = kind, Raw = raw, ContentEncoding = contentEncoding };
    }

    private static (string ApiVersion, string Kind) ReadTypeMeta(ReadOnlySpan<byte> data)
    {
        var reader = new ProtoReader(data, "runtime.TypeMeta");
        (string apiVersion, string kind) = ("", "");
        while (reader.TryReadTag(out int number, out WireType wireType))
        {
            if (number == 1 && wireType == WireType.LengthDelimited)
            {
                apiVersion = reader.ReadString();
            }
            else if (number == 2 && wireType == WireType.LengthDelimited)
            {
                kind = reader.ReadString();
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        return (apiVersion, kind);
    }
}
