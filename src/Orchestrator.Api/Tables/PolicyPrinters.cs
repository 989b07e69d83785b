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
            Fields.Name(obj),
            Fields.IntOrString(obj, "spec", "minAvailable") ?? "N/A",
            Fields.IntOrString(obj, "spec", "maxUnavailable") ?? "N/A",
            Fields.Int(obj, "status", "disruptionsAllowed"),
            Fields.Age(obj, now)));
}
