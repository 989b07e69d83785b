using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Orchestrator.Api.Apply;

/// <summary>
/// The path elements of fieldsV1, kept as their serialized keys ("f:image", "k:{\"name\":\"web\"}",
/// "v:\"foo\"", "i:0") so that a path read from stored managedFields and one computed from an object
/// compare equal as plain strings. Keys and values are written canonically (sorted keys, compact).
/// </summary>
public static class FieldPathElement
{
    public const string FieldPrefix = "f:";
    public const string KeyPrefix = "k:";
    public const string ValuePrefix = "v:";
    public const string IndexPrefix = "i:";

    // Relaxed escaping: kube writes "a+b" and "<x>" literally in keys; the default encoder would not.
    private static readonly JsonSerializerOptions Canonical = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    public static string Field(string name) => FieldPrefix + name;

    /// <summary>An associative list item, named by its merge key fields.</summary>
    public static string Key(JsonObject keyFields) => KeyPrefix + CanonicalJson(keyFields);

    /// <summary>An item of a set of primitives (finalizers).</summary>
    public static string Value(JsonNode? value) => ValuePrefix + CanonicalJson(value);

    public static string Index(int index) => IndexPrefix + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Rewrites a parsed element in canonical form; throws <see cref="FormatException"/> when malformed.</summary>
    public static string Canonicalize(string element)
    {
        if (element.StartsWith(FieldPrefix, StringComparison.Ordinal))
        {
            return element;
        }

        if (element.StartsWith(IndexPrefix, StringComparison.Ordinal))
        {
            return int.TryParse(element.AsSpan(2), out int index) && index >= 0
                ? Index(index)
                : throw new FormatException($"invalid index path element {element}");
        }

        bool isKey = element.StartsWith(KeyPrefix, StringComparison.Ordinal);
        if (!isKey && !element.StartsWith(ValuePrefix, StringComparison.Ordinal))
        {
            throw new FormatException($"unknown path element {element}");
        }

        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(element[2..]);
        }
        catch (JsonException e)
        {
            throw new FormatException($"invalid path element {element}: {e.Message}", e);
        }

        if (isKey)
        {
            return parsed is JsonObject keys ? Key(keys) : throw new FormatException($"key path element is not an object: {element}");
        }

        return Value(parsed);
    }

    /// <summary>The element as structured-merge-diff prints it in conflicts: ".image", "[name=\"web\"]", "[=\"foo\"]", "[0]".</summary>
    public static string Display(string element)
    {
        string body = element[2..];
        return element[..2] switch
        {
            FieldPrefix => "." + body,
            IndexPrefix => $"[{body}]",
            ValuePrefix => $"[={body}]",
            KeyPrefix => "[" + string.Join(",", ((JsonObject)JsonNode.Parse(body)!).Select(p => $"{p.Key}={CanonicalJson(p.Value)}")) + "]",
            _ => element,
        };
    }

    /// <summary>Orders like structured-merge-diff: fields, then keys, then values, then indexes.</summary>
    public static int Compare(string a, string b)
    {
        int byKind = Rank(a).CompareTo(Rank(b));
        if (byKind != 0)
        {
            return byKind;
        }

        if (a.StartsWith(IndexPrefix, StringComparison.Ordinal))
        {
            return int.Parse(a.AsSpan(2)).CompareTo(int.Parse(b.AsSpan(2)));
        }

        return string.CompareOrdinal(a, b);
    }

    private static int Rank(string element) => element[..2] switch
    {
        FieldPrefix => 0,
        KeyPrefix => 1,
        ValuePrefix => 2,
        _ => 3,
    };

    private static string CanonicalJson(JsonNode? node) => Sorted(node)?.ToJsonString(Canonical) ?? "null";

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Sorted)]),
        _ => node?.DeepClone(),
    };
}
