using System.Globalization;
using System.Text.Json.Nodes;

namespace Orchestrator.Api.Protobuf;

/// <summary>
/// The apimachinery types whose JSON is not their message shape: IntOrString, Quantity, Time,
/// Duration and ExtraValue marshal as scalars or a bare array.
/// </summary>
internal static class WellKnownTypes
{
    /// <summary>The JSON of <paramref name="message"/> as <paramref name="kind"/>, or null for a zero JSON omits.</summary>
    public static JsonNode? Read(ReadOnlySpan<byte> message, FieldKind kind, bool keepZero) => kind switch
    {
        FieldKind.IntOrString => IntOrString(message),
        FieldKind.Quantity => Quantity(message, keepZero),
        FieldKind.Time => Time(message, keepZero),
        FieldKind.Duration => Duration(message, keepZero),
        FieldKind.StringList => StringList(message),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a well-known type"),
    };

    private static JsonNode IntOrString(ReadOnlySpan<byte> message)
    {
        var reader = new ProtoReader(message, "IntOrString");
        ulong type = 0;
        int intValue = 0;
        string stringValue = "";
        while (reader.TryReadTag(out int number, out WireType wireType))
        {
            switch (number)
            {
                case 1 when wireType == WireType.Varint:
                    type = reader.ReadVarint();
                    break;
                case 2 when wireType == WireType.Varint:
                    intValue = unchecked((int)reader.ReadVarint());
                    break;
                case 3 when wireType == WireType.LengthDelimited:
                    stringValue = reader.ReadString();
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        return type switch
        {
            0 => JsonValue.Create(intValue),
            1 => JsonValue.Create(stringValue),
            _ => throw reader.Malformed($"IntOrString type {type} is neither 0 (int) nor 1 (string)"),
        };
    }

    private static JsonNode? Quantity(ReadOnlySpan<byte> message, bool keepZero)
    {
        string text = SingleString(message, "Quantity");
        // A zero Quantity marshals as "0"; the string is the canonical form the client sent.
        return text.Length > 0 ? JsonValue.Create(text) : keepZero ? JsonValue.Create("0") : null;
    }

    private static JsonNode? Time(ReadOnlySpan<byte> message, bool keepZero)
    {
        var reader = new ProtoReader(message, "Time");
        long seconds = 0;
        while (reader.TryReadTag(out int number, out WireType wireType))
        {
            if (number == 1 && wireType == WireType.Varint)
            {
                seconds = unchecked((long)reader.ReadVarint());
            }
            else
            {
                // Field 2 is nanos: metav1.Time marshals at second precision, so it is dropped.
                reader.Skip(wireType);
            }
        }

        // The Go zero time (an empty message) marshals as null; omitting it says the same.
        if (seconds == 0)
        {
            return keepZero ? JsonValue.Create("1970-01-01T00:00:00Z") : null;
        }

        if (seconds < -62135596800 || seconds > 253402300799)
        {
            throw reader.Malformed($"time {seconds} seconds is outside years 1-9999");
        }

        DateTimeOffset time = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return JsonValue.Create(time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
    }

    private static JsonNode? Duration(ReadOnlySpan<byte> message, bool keepZero)
    {
        var reader = new ProtoReader(message, "Duration");
        long nanoseconds = 0;
        while (reader.TryReadTag(out int number, out WireType wireType))
        {
            if (number == 1 && wireType == WireType.Varint)
            {
                nanoseconds = unchecked((long)reader.ReadVarint());
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        return nanoseconds != 0 || keepZero ? JsonValue.Create(GoDuration.Format(nanoseconds)) : null;
    }

    private static JsonArray StringList(ReadOnlySpan<byte> message)
    {
        var reader = new ProtoReader(message, "ExtraValue");
        var items = new JsonArray();
        while (reader.TryReadTag(out int number, out WireType wireType))
        {
            if (number == 1 && wireType == WireType.LengthDelimited)
            {
                items.Add(JsonValue.Create(reader.ReadString()));
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        return items;
    }

    private static string SingleString(ReadOnlySpan<byte> message, string name)
    {
        var reader = new ProtoReader(message, name);
        string text = "";
        while (reader.TryReadTag(out int number, out WireType wireType))
        {
            if (number == 1 && wireType == WireType.LengthDelimited)
            {
                text = reader.ReadString();
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        return text;
    }
}
