using System.Text.Json.Nodes;

namespace Orchestrator.Controllers.Scheduling;

/// <summary>A node taint (spec.taints[]).</summary>
public sealed record Taint(string Key, string? Value, string Effect)
{
    public const string NoSchedule = "NoSchedule";
    public const string PreferNoSchedule = "PreferNoSchedule";
    public const string NoExecute = "NoExecute";
    public const string Unschedulable = "node.kubernetes.io/unschedulable";
    public const string Unreachable = "node.kubernetes.io/unreachable";
    public const string NotReady = "node.kubernetes.io/not-ready";

    public static IReadOnlyList<Taint> Of(JsonObject node) =>
        [.. node.Items("spec", "taints").Select(t => new Taint(t.Str("key") ?? "", t.Str("value"), t.Str("effect") ?? ""))];

    public override string ToString() => $"{{{Key}: {Value}}}";
}

/// <summary>A pod toleration (spec.tolerations[]).</summary>
public sealed record Toleration(string? Key, string Operator, string? Value, string? Effect, long? Seconds)
{
    public static IReadOnlyList<Toleration> Of(JsonObject pod) =>
        [.. pod.Items("spec", "tolerations").Select(t => new Toleration(
            t.Str("key"), t.Str("operator") ?? "Equal", t.Str("value"),
            t.Str("effect"), t.Long("tolerationSeconds")))];

    /// <summary>As Kubernetes' ToleratesTaint: an empty effect matches every effect, an empty key with Exists every key.</summary>
    public bool Tolerates(Taint taint)
    {
        if (!string.IsNullOrEmpty(Effect) && Effect != taint.Effect)
            return false;
        if (!string.IsNullOrEmpty(Key) && Key != taint.Key)
            return false;
        return Operator switch
        {
            "Exists" => true,
            "Equal" or "" => (Value ?? "") == (taint.Value ?? ""),
            _ => false,
        };
    }

    public static bool AnyTolerates(IReadOnlyList<Toleration> tolerations, Taint taint)
    {
        foreach (var toleration in tolerations)
        {
            if (toleration.Tolerates(taint))
                return true;
        }
        return false;
    }
}
