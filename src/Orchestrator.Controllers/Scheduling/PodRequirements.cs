using System.Text.Json.Nodes;
using Orchestrator.Client;
using Orchestrator.Controllers.Runtime;

namespace Orchestrator.Controllers.Scheduling;

/// <summary>What the filters and scores need of a pod, parsed once per scheduling attempt.</summary>
public sealed record PodRequirements(
    string Key,
    string Namespace,
    string Name,
    string Uid,
    ResourceAmounts Requests,
    IReadOnlyDictionary<string, string> NodeSelector,
    NodeSelectorTerms? Affinity,
    IReadOnlyList<Toleration> Tolerations,
    string? Owner)
{
    public static PodRequirements Of(JsonObject pod)
    {
        var ns = JsonFields.Str(pod, "metadata", "namespace");
        var name = JsonFields.Str(pod, "metadata", "name");
        return new(
            ns + "/" + name,
            ns,
            name,
            JsonFields.Str(pod, "metadata", "uid"),
            ResourceAmounts.Requests(pod),
            Labels(JsonFields.Obj(pod, "spec", "nodeSelector")),
            NodeSelectorTerms.Of(pod),
            Toleration.Of(pod),
            OwnerOf(pod));
    }

    /// <summary>"namespace/Kind/name" of the pod's controller owner: pods of one owner are spread apart.</summary>
    public static string? OwnerOf(JsonObject pod)
    {
        foreach (var reference in JsonFields.Objects(pod, "metadata", "ownerReferences"))
        {
            if (JsonFields.Bool(reference, "controller") == true)
                return $"{JsonFields.Str(pod, "metadata", "namespace")}/{JsonFields.Str(reference, "kind")}/{JsonFields.Str(reference, "name")}";
        }
        return null;
    }

    public static IReadOnlyDictionary<string, string> Labels(JsonObject? map)
    {
        if (map is null || map.Count == 0)
            return EmptyLabels;
        var labels = new Dictionary<string, string>(map.Count, StringComparer.Ordinal);
        foreach (var (key, value) in map)
        {
            if (value is JsonValue v && v.TryGetValue<string>(out var text))
                labels[key] = text;
        }
        return labels;
    }

    private static readonly IReadOnlyDictionary<string, string> EmptyLabels = new Dictionary<string, string>();

    public static string KeyOf(JsonObject pod) => QueueController.KeyOf(pod);
}
