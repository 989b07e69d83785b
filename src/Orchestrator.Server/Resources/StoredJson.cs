using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Orchestrator.Server.Resources;

/// <summary>
/// Stored objects as bytes: objects are stored without metadata.resourceVersion (it is the revision), and an
/// answer that passes a stored object through unchanged needs only that one field added. Splicing it into the
/// bytes costs a scan of the JSON, where a parse into a JsonObject and a serialize back cost ~10x that.
/// </summary>
public static class StoredJson
{
    /// <summary>The stored object with <c>"resourceVersion":"revision"</c> as the last field of its metadata.</summary>
    public static byte[] WithResourceVersion(ReadOnlySpan<byte> stored, long revision)
    {
        var (insertAt, metadataEmpty) = FindMetadataEnd(stored);
        Span<byte> number = stackalloc byte[20];
        revision.TryFormat(number, out var digits, provider: CultureInfo.InvariantCulture);
        if (insertAt < 0)
        {
            // No metadata object (not a Kubernetes object as stored by this server): nothing to splice into.
            return stored.ToArray();
        }
        ReadOnlySpan<byte> field = metadataEmpty ? "\"resourceVersion\":\""u8 : ",\"resourceVersion\":\""u8;
        var result = new byte[stored.Length + field.Length + digits + 1];
        stored[..insertAt].CopyTo(result);
        var at = insertAt;
        field.CopyTo(result.AsSpan(at));
        at += field.Length;
        number[..digits].CopyTo(result.AsSpan(at));
        at += digits;
        result[at++] = (byte)'"';
        stored[insertAt..].CopyTo(result.AsSpan(at));
        return result;
    }

    /// <summary>Offset of the '}' that closes the top-level "metadata" object, and whether it has no fields.</summary>
    private static (int Offset, bool Empty) FindMetadataEnd(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            return (-1, false);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == 0)
                return (-1, false);
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
                continue;
            if (!reader.ValueTextEquals("metadata"u8))
            {
                reader.Read();
                reader.Skip();
                continue;
            }
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return (-1, false);
            var empty = true;
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == 1)
                    return ((int)reader.TokenStartIndex, empty);
                empty = false;
                reader.Skip();
            }
            return (-1, false);
        }
        return (-1, false);
    }

    /// <summary>One watch event line, <c>{"type":"...","object":...}\n</c>, around an object already encoded.</summary>
    public static byte[] WatchLine(string type, ReadOnlySpan<byte> encodedObject)
    {
        ReadOnlySpan<byte> head = "{\"type\":\""u8;
        ReadOnlySpan<byte> middle = "\",\"object\":"u8;
        ReadOnlySpan<byte> tail = "}\n"u8;
        var typeBytes = Encoding.ASCII.GetByteCount(type);
        var line = new byte[head.Length + typeBytes + middle.Length + encodedObject.Length + tail.Length];
        var at = 0;
        head.CopyTo(line);
        at += head.Length;
        at += Encoding.ASCII.GetBytes(type, line.AsSpan(at));
        middle.CopyTo(line.AsSpan(at));
        at += middle.Length;
        encodedObject.CopyTo(line.AsSpan(at));
        at += encodedObject.Length;
        tail.CopyTo(line.AsSpan(at));
        return line;
    }
}
