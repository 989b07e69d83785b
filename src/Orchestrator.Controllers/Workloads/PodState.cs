using System.Text.Json.Nodes;
using Orchestrator.Controllers.Runtime;

namespace Orchestrator.Controllers.Workloads;

/// <summary>What the workload controllers read from a pod: active, ready, available (minReadySeconds).</summary>
public static class PodState
{
    /// <summary>Counts towards a ReplicaSet: not terminated and not being deleted.</summary>
    public static bool IsActive(JsonObject pod) =>
        !pod.IsDeleting() && pod.Str("status", "phase") is not ("Succeeded" or "Failed");

    public static bool IsTerminal(JsonObject pod) => pod.Str("status", "phase") is "Succeeded" or "Failed";

    public static bool IsScheduled(JsonObject pod) => !string.IsNullOrEmpty(pod.Str("spec", "nodeName"));

    public static JsonObject? ReadyCondition(JsonObject pod) =>
        (pod.Arr("status", "conditions") ?? []).OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == "Ready");

    public static bool IsReady(JsonObject pod) => ReadyCondition(pod)?.Str("status") == "True";

    /// <summary>When the pod became ready (lastTransitionTime of Ready=True), or null when it is not ready.</summary>
    public static DateTimeOffset? ReadySince(JsonObject pod)
    {
        var ready = ReadyCondition(pod);
        if (ready?.Str("status") != "True")
            return null;
        return ready.Time("lastTransitionTime") ?? DateTimeOffset.MinValue;
    }

    /// <summary>
    /// Available: ready for at least minReadySeconds. When ready but not yet available, <paramref name="wait"/>
    /// says how long until it is, so the owner can be looked at again then.
    /// </summary>
    public static bool IsAvailable(JsonObject pod, long minReadySeconds, DateTimeOffset now, out TimeSpan? wait)
    {
        wait = null;
        if (ReadySince(pod) is not { } since)
            return false;
        if (minReadySeconds <= 0)
            return true;
        var at = since.AddSeconds(minReadySeconds);
        if (at <= now)
            return true;
        wait = at - now;
        return false;
    }
}
