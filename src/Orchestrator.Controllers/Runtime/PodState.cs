using System.Text.Json.Nodes;

namespace Orchestrator.Controllers.Runtime;

/// <summary>How controllers read a pod's state from its status.</summary>
internal static class PodState
{
    public static bool IsReady(JsonObject pod) => pod.HasTrueCondition("Ready");

    /// <summary>Succeeded or Failed: its containers will not run again.</summary>
    public static bool IsTerminal(JsonObject pod) => pod.Str("status", "phase") is "Succeeded" or "Failed";

    /// <summary>Neither finished nor being deleted: counts as running work (kube's "active").</summary>
    public static bool IsActive(JsonObject pod) => !IsTerminal(pod) && !pod.IsDeleting();

    public static JsonObject Labels(JsonObject obj) => obj.Obj("metadata", "labels") ?? [];
}
