using System.Text.Json.Nodes;

namespace Orchestrator.Api.Protobuf;

/// <summary>Decodes a protobuf message into Kubernetes JSON by walking its <see cref="ProtoMessage"/> schema.</summary>
internal static class ProtoMessageDecoder
{
    public static JsonObject Decode(ReadOnlySpan<byte> data, ProtoMessage message)
    {
        var result = new JsonObject();
        DecodeInto(data, message, result);
        return result;
    }

    /// <summary>Adds the message's fields to <paramref name="target"/>, after any it already holds.</summary>
    public static void DecodeInto(ReadOnlySpan<byte> data, ProtoMessage message, JsonObject target)
    {
        var reader = new ProtoReader(data, message.Name);
        while (reader.TryReadTag(out int number, out WireType wireType))
        {
            if (!message.TryGetField(number, out ProtoField? field))
            {
                reader.Skip(wireType);
                continue;
            }

            ReadField(ref reader, wireType, field, target);
        }
    }

    private static void ReadField(ref ProtoReader reader, WireType wireType, ProtoField field, JsonObject target)
    {
        bool isVarint = field.Kind is FieldKind.Int32 or FieldKind.Int64 or FieldKind.Bool;
        if (isVarint && field.Repeated && wireType == WireType.LengthDelimited)
        {
            // Packed repeated scalars: proto2 writers do not pack, but a reader must accept both.
            var packed = new ProtoReader(reader.ReadLengthDelimited(), reader.MessageName);
            JsonArray array = ArrayOf(target, field);
            while (packed.HasMore)
            {
                array.Add(Varint(packed.ReadVarint(), field.Kind));
            }

            return;
        }

        WireType expected = isVarint ? WireType.Varint : WireType.LengthDelimited;
        if (wireType != expected)
        {
            throw reader.Malformed($"field {field.Number} ({field.JsonName}) has wire type {(int)wireType}, expected {(int)expected}");
        }

        if (field.Kind == FieldKind.Map)
        {
            ReadMapEntry(reader.ReadLengthDelimited(), field, target);
            return;
        }

        if (field.Inline)
        {
            DecodeInto(reader.ReadLengthDelimited(), field.Message!, target);
            return;
        }

        JsonNode? value = ReadValue(ref reader, field);
        if (field.Repeated)
        {
            ArrayOf(target, field).Add(value ?? Zero(field.Kind));
        }
        else if (value is not null)
        {
            target[field.JsonName] = value;
        }
    }

    /// <summary>The field's JSON value, or null when it is a zero that JSON would omit.</summary>
    private static JsonNode? ReadValue(ref ProtoReader reader, ProtoField field)
    {
        bool keep = field.KeepZero || field.Repeated;
        switch (field.Kind)
        {
            case FieldKind.String:
                string text = reader.ReadString();
                return text.Length > 0 || keep ? JsonValue.Create(text) : null;
            case FieldKind.Bytes:
                ReadOnlySpan<byte> bytes = reader.ReadLengthDelimited();
                return bytes.Length > 0 || keep ? JsonValue.Create(Convert.ToBase64String(bytes)) : null;
            case FieldKind.Int32:
            case FieldKind.Int64:
            case FieldKind.Bool:
                ulong raw = reader.ReadVarint();
                return raw != 0 || keep ? Varint(raw, field.Kind) : null;
            case FieldKind.Message:
                // Go writes a struct field whenever it is non-nil, and encoding/json never omits
                // structs, so a present message is an object even when empty ("resources": {}).
                return Decode(reader.ReadLengthDelimited(), field.Message!);
            default:
                return WellKnownTypes.Read(reader.ReadLengthDelimited(), field.Kind, keep);
        }
    }

    private static void ReadMapEntry(ReadOnlySpan<byte> entry, ProtoField field, JsonObject target)
    {
        ProtoField valueField = field.MapValue!;
        var reader = new ProtoReader(entry, field.JsonName);
        string key = "";
        JsonNode? value = null;
        while (reader.TryReadTag(out int number, out WireType wireType))
        {
            if (number == 1 && wireType == WireType.LengthDelimited)
            {
                key = reader.ReadString();
            }
            else if (number == 2)
            {
                // Map values are never omitted: an entry's value is always a value.
                var holder = new JsonObject();
                ReadField(ref reader, wireType, valueField.Pointer(), holder);
                value = holder[valueField.JsonName]?.DeepClone();
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        if (target[field.JsonName] is not JsonObject map)
        {
            map = new JsonObject();
            target[field.JsonName] = map;
        }

        map[key] = value ?? Zero(valueField.Kind);
    }

    private static JsonArray ArrayOf(JsonObject target, ProtoField field)
    {
        if (target[field.JsonName] is JsonArray existing)
        {
            return existing;
        }

        var array = new JsonArray();
        target[field.JsonName] = array;
        return array;
    }

    private static JsonNode Varint(ulong raw, FieldKind kind) => kind switch
    {
        FieldKind.Bool => JsonValue.Create(raw != 0),
        // int32 negatives travel sign-extended to 64 bits; truncation restores them.
        FieldKind.Int32 => JsonValue.Create(unchecked((int)raw)),
        _ => JsonValue.Create(unchecked((long)raw)),
    };

    private static JsonNode Zero(FieldKind kind) => kind switch
    {
        FieldKind.Int32 or FieldKind.Int64 or FieldKind.IntOrString => JsonValue.Create(0),
        FieldKind.Bool => JsonValue.Create(false),
        FieldKind.Quantity => JsonValue.Create("0"),
        FieldKind.Duration => JsonValue.Create("0s"),
        FieldKind.StringList => new JsonArray(),
        FieldKind.Message => new JsonObject(),
        _ => JsonValue.Create(""),
    };
}
