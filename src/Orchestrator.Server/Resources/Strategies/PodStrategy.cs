using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;

namespace Orchestrator.Server.Resources.Strategies;

/// <summary>Pods: spec defaults and validation, initial status Pending with a QoS class.</summary>
public sealed class PodStrategy : ResourceStrategy
{
    public override void ApplyDefaults(JsonObject obj)
    {
        var spec = obj.Child("spec");
        PodSpecRules.ApplyDefaults(spec);
        spec.Default("serviceAccountName", "default");
        spec.Default("enableServiceLinks", true);
        spec.Default("priority", 0);
    }

    public override void PrepareForCreate(JsonObject obj)
    {
        ServiceAccountVolume.AddTo(obj);
        obj["status"] = new JsonObject { ["phase"] = "Pending", ["qosClass"] = QosClass(obj.Obj("spec")) };
    }

    public override void Validate(JsonObject obj, FieldErrorList errors) =>
        PodSpecRules.Validate(obj.Obj("spec"), FieldPath.Root("spec"), errors);

    public override void ValidateUpdate(JsonObject obj, JsonObject old, FieldErrorList errors)
    {
        Validate(obj, errors);
        var was = old.Str("spec", "nodeName");
        var now = obj.Str("spec", "nodeName");
        if (!string.IsNullOrEmpty(was) && was != now)
            errors.Forbidden(FieldPath.Root("spec", "nodeName"), "pod updates may not change the node a pod is bound to");
    }

    /// <summary>A bound pod gets its grace period: its node stops the containers, then deletes it with grace 0.</summary>
    public override JsonObject? MarkForDeletion(JsonObject marked, JsonObject current, DeleteOptions options, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(current.Str("spec", "nodeName")))
            return null;
        var grace = options.GracePeriodSeconds ?? current.Long("spec", "terminationGracePeriodSeconds") ?? 30;
        if (grace <= 0)
            return null;
        // Already counting down from a shorter or equal grace: nothing to change.
        if (current.IsDeleting() && (current.Long("metadata", "deletionGracePeriodSeconds") ?? 0) <= grace)
            return marked;
        var metadata = marked.Metadata();
        metadata["deletionTimestamp"] = Json.Timestamp(now.AddSeconds(grace));
        metadata["deletionGracePeriodSeconds"] = grace;
        return marked;
    }

    private static string QosClass(JsonObject? spec)
    {
        var containers = spec.Arr("containers")?.OfType<JsonObject>().ToList() ?? [];
        var any = false;
        var guaranteed = containers.Count > 0;
        foreach (var container in containers)
        {
            var limits = container.Obj("resources", "limits");
            var requests = container.Obj("resources", "requests");
            any |= limits?.Count > 0 || requests?.Count > 0;
            foreach (var resource in new[] { "cpu", "memory" })
            {
                var limit = limits?[resource]?.ToJsonString();
                var request = requests?[resource]?.ToJsonString() ?? limit;
                guaranteed &= limit is not null && limit == request;
            }
        }
        return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
    }
}
