using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Controllers.Runtime;

namespace Orchestrator.Controllers.Disruption;

/// <summary>
/// The numbers of a PodDisruptionBudget's status, from its spec and the pods it selects, without I/O.
/// The expected pod count is the number of selected pods that have not finished (kube asks the pods'
/// controllers for their scale; counting pods is the simpler reading and agrees while they are at scale).
/// </summary>
internal static class DisruptionBudget
{
    public sealed record Numbers(int ExpectedPods, int CurrentHealthy, int DesiredHealthy, int DisruptionsAllowed);

    /// <param name="disrupted">Pods an eviction has already been granted for: no longer counted as healthy.</param>
    public static Numbers Compute(JsonObject pdb, IReadOnlyList<JsonObject> pods, IReadOnlySet<string> disrupted)
    {
        var expected = pods.Count(p => !PodState.IsTerminal(p));
        var healthy = pods.Count(p => PodState.IsActive(p) && PodState.IsReady(p) && !disrupted.Contains(p.Name()));
        int desired;
        if (pdb.At("spec", "maxUnavailable") is { } maxUnavailable)
            desired = Math.Max(0, expected - Scaled(maxUnavailable, expected));
        else if (pdb.At("spec", "minAvailable") is { } minAvailable)
            desired = Scaled(minAvailable, expected);
        else
            desired = expected; // policy/v1 defaulting would give minAvailable 1; an empty spec allows nothing here
        return new Numbers(expected, healthy, desired, Math.Max(0, healthy - desired));
    }

    /// <summary>An IntOrString: an integer, or a percentage of <paramref name="total"/> rounded up (as kube's GetScaledValueFromIntOrPercent with roundUp).</summary>
    public static int Scaled(JsonNode value, int total)
    {
        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
            return (int)v.GetValue<double>();
        var text = value.GetValue<string>();
        if (text.EndsWith('%') && int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var percent))
            return (int)Math.Ceiling(percent * total / 100.0);
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            return number;
        throw new FormatException($"invalid value for IntOrString: {text}");
    }
}
