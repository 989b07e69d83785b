using System.Text.Json.Nodes;
using Orchestrator.Controllers.Runtime;

namespace Orchestrator.Controllers.Batch;

/// <summary>Job conditions as kube 1.32 writes them: a target first (FailureTarget, SuccessCriteriaMet), the final one once no pod still runs.</summary>
internal static class JobConditions
{
    public const string Complete = "Complete";
    public const string Failed = "Failed";
    public const string FailureTarget = "FailureTarget";
    public const string SuccessCriteriaMet = "SuccessCriteriaMet";

    public static bool IsFinished(JsonObject job) => job.HasTrueCondition(Complete) || job.HasTrueCondition(Failed);

    /// <summary>Adds (or turns True) the condition in <paramref name="status"/>; keeps its transition time when it already held.</summary>
    public static void Set(JsonObject status, string type, string reason, string message, DateTimeOffset now)
    {
        var conditions = status["conditions"] as JsonArray ?? [];
        status["conditions"] = conditions;
        var existing = conditions.OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == type);
        if (existing is not null && existing.Str("status") == "True")
            return;
        var condition = new JsonObject
        {
            ["type"] = type,
            ["status"] = "True",
            ["lastProbeTime"] = now.Rfc3339(),
            ["lastTransitionTime"] = now.Rfc3339(),
            ["reason"] = reason,
            ["message"] = message,
        };
        if (existing is null)
            conditions.Add(condition);
        else
            conditions[conditions.IndexOf(existing)] = condition;
    }

    public static bool Holds(JsonObject status, string type) =>
        (status["conditions"] as JsonArray ?? []).OfType<JsonObject>().Any(c => c.Str("type") == type && c.Str("status") == "True");
}
