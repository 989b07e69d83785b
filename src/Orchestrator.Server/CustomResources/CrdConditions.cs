using System.Text.Json.Nodes;

namespace Orchestrator.Server.CustomResources;

/// <summary>status.conditions of a CRD (NamesAccepted, Established, Terminating), set as kube sets them.</summary>
public static class CrdConditions
{
    /// <summary>Sets one condition; its lastTransitionTime moves only when its status changes.</summary>
    public static void Set(JsonObject crd, string type, string status, string reason, string message, DateTimeOffset now)
    {
        var conditions = crd.Child("status")["conditions"] as JsonArray;
        if (conditions is null)
        {
            conditions = [];
            crd.Child("status")["conditions"] = conditions;
        }
        var condition = conditions.OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == type);
        if (condition is null)
        {
            condition = new JsonObject { ["type"] = type };
            conditions.Add(condition);
        }
        if (condition.Str("status") != status)
            condition["lastTransitionTime"] = Json.Timestamp(now);
        condition["status"] = status;
        condition["reason"] = reason;
        condition["message"] = message;
    }

    public static bool IsTrue(JsonObject crd, string type) => crd.Condition(type)?.Str("status") == "True";
}
