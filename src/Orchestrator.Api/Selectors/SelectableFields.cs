using System.Collections.Frozen;
using System.Text.Json.Nodes;

namespace Orchestrator.Api.Selectors;

/// <summary>
/// The fields a kind can be selected by, and how to read them from an object. Field paths
/// are data ("spec.nodeName"), so adding one for a kind is one string, not new code.
/// </summary>
public sealed class SelectableFields
{
    private readonly FrozenSet<string> _paths;

    /// <param name="namespaced">Whether metadata.namespace is selectable (it is "" for cluster-scoped kinds in Kubernetes too).</param>
    /// <param name="extraPaths">Dot-separated paths beyond metadata.name/namespace, e.g. "status.phase".</param>
    public SelectableFields(bool namespaced, params string[] extraPaths)
    {
        var paths = new List<string> { "metadata.name" };
        if (namespaced)
        {
            paths.Add("metadata.namespace");
        }

        paths.AddRange(extraPaths);
        _paths = paths.ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>The supported field set, for <see cref="FieldSelector.Parse(string?, IReadOnlySet{string})"/>.</summary>
    public IReadOnlySet<string> Supported => _paths;

    /// <summary>Reads every supported field; absent fields read as "" and booleans as "true"/"false".</summary>
    public IReadOnlyDictionary<string, string> Extract(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var values = new Dictionary<string, string>(_paths.Count, StringComparer.Ordinal);
        foreach (string path in _paths)
        {
            values[path] = Read(obj, path);
        }

        return values;
    }

    private static string Read(JsonObject obj, string path)
    {
        JsonNode? node = obj;
        foreach (string segment in path.Split('.'))
        {
            node = node is JsonObject o && o.TryGetPropertyValue(segment, out JsonNode? child) ? child : null;
            if (node is null)
            {
                return "";
            }
        }

        return node switch
        {
            JsonValue v when v.TryGetValue(out string? s) => s,
            JsonValue v when v.TryGetValue(out bool b) => b ? "true" : "false",
            JsonValue v => v.ToJsonString(),
            _ => "",
        };
    }
}
