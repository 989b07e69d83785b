using System.Text.Json.Nodes;

namespace Orchestrator.Api.Tables;

/// <summary>The wide "Containers" and "Images" cells of workload kinds, from a pod template spec.</summary>
internal static class PodTemplateCells
{
    /// <summary>Container names and images, each joined by ",", in spec order.</summary>
    public static (string Names, string Images) Containers(JsonNode? podSpec)
    {
        List<JsonObject> containers = [.. podSpec.Items("containers")];
        return (
            string.Join(",", containers.Select(c => c.Str("name") ?? "")),
            string.Join(",", containers.Select(c => c.Str("image") ?? "")));
    }
}
