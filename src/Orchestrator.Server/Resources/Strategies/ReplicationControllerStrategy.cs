using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;
using Orchestrator.Api.Selectors;
using Orchestrator.Api.Validation;

namespace Orchestrator.Server.Resources.Strategies;

/// <summary>
/// core/v1 ReplicationController: a ReplicaSet whose spec.selector is a plain label map. As kube's defaults, an empty
/// selector (and empty object labels) come from the template's labels, and replicas default to 1.
/// </summary>
public sealed class ReplicationControllerStrategy : ResourceStrategy
{
    public override bool SelectorIsMap => true;

    public override void ApplyDefaults(JsonObject obj)
    {
        var spec = obj.Child("spec");
        if (spec.Obj("template", "metadata", "labels") is { } labels)
        {
            if (spec["selector"] is null or JsonObject { Count: 0 })
                spec["selector"] = labels.DeepClone();
            if (obj.Obj("metadata", "labels") is null or { Count: 0 })
                obj.Metadata()["labels"] = labels.DeepClone();
        }
        spec.Default("replicas", 1);
        if (spec.Obj("template", "spec") is { } podSpec)
            PodSpecRules.ApplyDefaults(podSpec);
    }

    public override void Validate(JsonObject obj, FieldErrorList errors)
    {
        var spec = obj.Obj("spec");
        var path = FieldPath.Root("spec");
        if (spec.Long("replicas") is < 0)
            errors.Invalid(path.Child("replicas"), spec.Long("replicas"), "must be greater than or equal to 0");
        if (spec.Long("minReadySeconds") is < 0)
            errors.Invalid(path.Child("minReadySeconds"), spec.Long("minReadySeconds"), "must be greater than or equal to 0");
        TemplateRules.ValidateTemplate(spec, path, Selector(spec, path.Child("selector"), errors), errors);
    }

    /// <summary>The selector map: required, non-empty, a valid label set; null when it cannot select.</summary>
    private static LabelSelector? Selector(JsonObject? spec, FieldPath path, FieldErrorList errors)
    {
        var node = spec?["selector"];
        if (node is null or JsonObject { Count: 0 })
        {
            errors.Required(path, "");
            return null;
        }
        if (node is not JsonObject)
        {
            errors.Invalid(path, node.ToJsonString(), "must be a map of label keys to values");
            return null;
        }
        var before = errors.Count;
        ObjectMetaValidation.ValidateLabels(node, path, errors);
        if (errors.Count != before)
            return null;
        try
        {
            return LabelSelector.FromMap(node);
        }
        catch (ApiException e)
        {
            errors.Invalid(path, node.ToJsonString(), e.Message);
            return null;
        }
    }
}
