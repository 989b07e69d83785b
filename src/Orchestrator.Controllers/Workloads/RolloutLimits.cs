using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Controllers.Runtime;

namespace Orchestrator.Controllers.Workloads;

/// <summary>A rolling update's maxSurge and maxUnavailable resolved to pod counts (kube's ResolveFenceposts).</summary>
public readonly record struct RolloutLimits(int MaxSurge, int MaxUnavailable)
{
    public static RolloutLimits For(JsonObject deployment)
    {
        var replicas = (int)(deployment.Long("spec", "replicas") ?? 1);
        if (deployment.Str("spec", "strategy", "type") == "Recreate")
            return new RolloutLimits(0, 0);
        var rolling = deployment.Obj("spec", "strategy", "rollingUpdate");
        var surge = Resolve(rolling?["maxSurge"], replicas, roundUp: true);
        var unavailable = Resolve(rolling?["maxUnavailable"], replicas, roundUp: false);
        // Both zero would never make progress; kube lets one pod be unavailable then.
        if (surge == 0 && unavailable == 0)
            unavailable = 1;
        return new RolloutLimits(surge, unavailable);
    }

    /// <summary>An int-or-string: a count, or a percentage of replicas (surge rounds up, unavailable down); absent means 25%.</summary>
    public static int Resolve(JsonNode? value, int replicas, bool roundUp)
    {
        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
            return Math.Max(0, v.GetValue<int>());
        var text = value is JsonValue s && s.GetValueKind() == JsonValueKind.String ? s.GetValue<string>() : "25%";
        if (!text.EndsWith('%'))
            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) ? Math.Max(0, count) : 0;
        if (!int.TryParse(text[..^1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var percent))
            return 0;
        var exact = (double)percent * replicas / 100;
        return Math.Max(0, (int)(roundUp ? Math.Ceiling(exact) : Math.Floor(exact)));
    }
}
