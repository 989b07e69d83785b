using System.Text.Json.Nodes;
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
        var ns = pod.Str("metadata", "namespace") ?? "";
        var name = pod.Str("metadata", "name") ?? "";
        return new(
            ns + "/" + name,
            ns,
            name,
            pod.Str("metadata", "uid") ?? "",
            ResourceAmounts.Requests(pod),
            Labels(pod.Obj("spec", "nodeSelector")),
            NodeSelectorTerms.Of(pod),
            Toleration.Of(pod),
            OwnerOf(pod));
    }

    /// <summary>"namespace/Kind/name" of the pod's controller owner: pods of one owner are spread apart.</summary>
    public static string? OwnerOf(JsonObject pod)
    {
        foreach (var reference in pod.Items("metadata", "ownerReferences"))
        {
            if (reference.Bool("controller") == true)
                return $"{pod.Str("metadata", "namespace")}/{reference.Str("kind")}/{reference.Str("name")}";
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
