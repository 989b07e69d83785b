using System.Text;
using System.Text.Json.Nodes;

namespace Orchestrator.Controllers.Workloads;

/// <summary>
/// The pod-template-hash of a Deployment's template: FNV-1a (32 bit) over canonical JSON (keys sorted,
/// the hash label itself left out), written with kube's "safe" alphabet (no vowels, no confusable digits)
/// so the name suffix never spells words. Stable across processes and restarts.
/// </summary>
public static class PodTemplateHash
{
    public const string Label = "pod-template-hash";

    private const string SafeAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static string Of(JsonObject? template, long collisionCount = 0)
    {
        var text = new StringBuilder();
        Canonical(WithoutHashLabel(template), text);
        if (collisionCount > 0)
            text.Append('#').Append(collisionCount);
        uint hash = 2166136261;
        foreach (var b in Encoding.UTF8.GetBytes(text.ToString()))
        {
            hash ^= b;
            hash *= 16777619;
        }
        var digits = new StringBuilder();
        do
        {
            digits.Append(SafeAlphabet[(int)(hash % (uint)SafeAlphabet.Length)]);
            hash /= (uint)SafeAlphabet.Length;
        }
        while (hash > 0);
        return digits.ToString();
    }

    /// <summary>True when two templates are the same apart from the hash label (kube's EqualIgnoreHash).</summary>
    public static bool SameTemplate(JsonObject? a, JsonObject? b) => JsonNode.DeepEquals(WithoutHashLabel(a), WithoutHashLabel(b));

    public static JsonObject WithoutHashLabel(JsonObject? template)
    {
        var copy = (JsonObject?)template?.DeepClone() ?? new JsonObject();
        if (copy["metadata"] is JsonObject metadata && metadata["labels"] is JsonObject labels)
        {
            labels.Remove(Label);
            if (labels.Count == 0)
                metadata.Remove("labels");
        }
        if (copy["metadata"] is JsonObject { Count: 0 })
            copy.Remove("metadata");
        return copy;
    }

    private static void Canonical(JsonNode? node, StringBuilder text)
    {
        switch (node)
        {
            case JsonObject obj:
                text.Append('{');
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    text.Append(System.Text.Json.JsonSerializer.Serialize(key)).Append(':');
                    Canonical(value, text);
                    text.Append(',');
                }
                text.Append('}');
                break;
            case JsonArray array:
                text.Append('[');
                foreach (var item in array)
                {
                    Canonical(item, text);
                    text.Append(',');
                }
                text.Append(']');
                break;
            case null:
                text.Append("null");
                break;
            default:
                text.Append(node.ToJsonString());
                break;
        }
    }
}
