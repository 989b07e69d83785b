using System.Collections.Immutable;
using System.Text;

namespace Orchestrator.Api.Patching;

/// <summary>A JSON pointer (RFC 6901): "" is the whole document, "/a~1b/0" is a → "a/b" → index 0.</summary>
public sealed class JsonPointer
{
    private JsonPointer(string text, ImmutableArray<string> segments)
    {
        Text = text;
        Segments = segments;
    }

    public string Text { get; }

    /// <summary>Unescaped reference tokens ("~1" is "/", "~0" is "~").</summary>
    public ImmutableArray<string> Segments { get; }

    public bool IsRoot => Segments.IsEmpty;

    /// <summary>Parses a pointer; a malformed one is a <see cref="PatchErrorKind.Malformed"/> patch.</summary>
    public static JsonPointer Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return new JsonPointer(text, []);
        }

        if (text[0] != '/')
        {
            throw PatchException.Malformed($"JSON pointer must be empty or start with '/': \"{text}\"");
        }

        var segments = ImmutableArray.CreateBuilder<string>();
        foreach (string raw in text[1..].Split('/'))
        {
            segments.Add(Unescape(text, raw));
        }

        return new JsonPointer(text, segments.ToImmutable());
    }

    /// <summary>Whether this pointer names <paramref name="other"/> or something inside it.</summary>
    public bool StartsWith(JsonPointer other) =>
        other.Segments.Length <= Segments.Length && Segments.Take(other.Segments.Length).SequenceEqual(other.Segments);

    public override string ToString() => Text;

    private static string Unescape(string text, string raw)
    {
        if (!raw.Contains('~'))
        {
            return raw;
        }

        var result = new StringBuilder(raw.Length);
        for (int i = 0; i < raw.Length; i++)
        {
            if (raw[i] != '~')
            {
                result.Append(raw[i]);
                continue;
            }

            // "~" must be followed by 0 or 1; anything else is not a valid escape.
            char next = i + 1 < raw.Length ? raw[i + 1] : '\0';
            result.Append(next switch
            {
                '0' => '~',
                '1' => '/',
                _ => throw PatchException.Malformed($"invalid escape in JSON pointer \"{text}\""),
            });
            i++;
        }

        return result.ToString();
    }
}
