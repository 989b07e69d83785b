using System.Text.Json.Nodes;

namespace Orchestrator.Api.Tables;

/// <summary>policy/v1 PodDisruptionBudget rows.</summary>
internal static class PolicyPrinters
{
    public static TablePrinter PodDisruptionBudget { get; } = new(
        [
            CommonColumns.Name,
            CommonColumns.Text("Min Available", "The minimum number of pods that must be available."),
            CommonColumns.Text("Max Unavailable", "The maximum number of pods that may be unavailable."),
            CommonColumns.Integer("Allowed Disruptions", "Calculated number of pods that may be disrupted at this time."),
            CommonColumns.Age,
        ],
        (obj, now) => new JsonArray(
            obj.Name(),
            obj.IntOrString("spec", "minAvailable") ?? "N/A",
            obj.IntOrString("spec", "maxUnavailable") ?? "N/A",
            obj.Long("status", "disruptionsAllowed") ?? 0,
            HumanDuration.Since(obj.Created(), now)));
}
