using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;
using Orchestrator.Api.Selectors;

namespace Orchestrator.Api.Tables;

/// <summary>Label maps and selectors as kube's printers show them.</summary>
internal static class LabelFormat
{
    public const string None = "<none>";

    /// <summary>labels.FormatLabels: "a=b,c=d" sorted by key, or "&lt;none&gt;".</summary>
    public static string Labels(JsonNode? map)
    {
        if (map is not JsonObject labels || labels.Count == 0)
        {
            return None;
        }

        return string.Join(",", labels
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{p.Key}={(p.Value is JsonValue v && v.TryGetValue(out string? s) ? s : "")}"));
    }

    /// <summary>
    /// A metav1.LabelSelector as selector text ("app=web,tier in (a,b)"); "" for nil or empty,
    /// null when malformed so each printer can choose kube's placeholder for that case.
    /// </summary>
    public static string? Selector(JsonNode? selector)
    {
        try
        {
            return LabelSelector.FromJson(selector).ToString();
        }
        catch (ApiException)
        {
            // A stored object with a bad selector still prints; the caller shows a placeholder.
            return null;
        }
    }

    /// <summary>metav1.FormatLabelSelector: "&lt;none&gt;" when empty, "&lt;error&gt;" when malformed.</summary>
    public static string FormatSelector(JsonNode? selector) => Selector(selector) switch
    {
        null => "<error>",
        "" => None,
        string text => text,
    };
}
