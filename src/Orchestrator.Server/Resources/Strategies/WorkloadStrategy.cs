using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;
using Orchestrator.Api.Selectors;

namespace Orchestrator.Server.Resources.Strategies;

/// <summary>Deployments, ReplicaSets, StatefulSets and DaemonSets: a selector that must match a pod template.</summary>
public sealed class WorkloadStrategy(string kind) : ResourceStrategy
{
    public override void ApplyDefaults(JsonObject obj)
    {
        var spec = obj.Child("spec");
        if (kind != "DaemonSet")
            spec.Default("replicas", 1);
        spec.Default("revisionHistoryLimit", 10);
        switch (kind)
        {
            case "Deployment":
                spec.Default("progressDeadlineSeconds", 600);
                var strategy = spec.Child("strategy");
                strategy.Default("type", "RollingUpdate");
                if (strategy.Str("type") == "RollingUpdate")
                {
                    var rolling = strategy.Child("rollingUpdate");
                    rolling.Default("maxUnavailable", "25%");
                    rolling.Default("maxSurge", "25%");
                }
                break;
            case "StatefulSet":
                spec.Default("podManagementPolicy", "OrderedReady");
                spec.Default("updateStrategy", new JsonObject { ["type"] = "RollingUpdate", ["rollingUpdate"] = new JsonObject { ["partition"] = 0 } });
                break;
            case "DaemonSet":
                spec.Default("updateStrategy", new JsonObject { ["type"] = "RollingUpdate", ["rollingUpdate"] = new JsonObject { ["maxUnavailable"] = 1, ["maxSurge"] = 0 } });
                break;
        }
        if (spec.Obj("template", "spec") is { } podSpec)
            PodSpecRules.ApplyDefaults(podSpec);
    }

    public override void Validate(JsonObject obj, FieldErrorList errors)
    {
        var spec = obj.Obj("spec");
        var path = FieldPath.Root("spec");
        if (spec.Long("replicas") is < 0)
            errors.Invalid(path.Child("replicas"), spec.Long("replicas"), "must be greater than or equal to 0");
        TemplateRules.ValidateSelectorAndTemplate(spec, path, errors);
    }
}

/// <summary>The selector/template pairing every controller kind shares.</summary>
public static class TemplateRules
{
    public static void ValidateSelectorAndTemplate(JsonObject? spec, FieldPath path, FieldErrorList errors, bool selectorRequired = true)
    {
        var selectorNode = spec?["selector"];
        LabelSelector? selector = null;
        if (selectorNode is null)
        {
            if (selectorRequired)
                errors.Required(path.Child("selector"), "");
        }
        else
        {
            try
            {
                selector = LabelSelector.FromJson(selectorNode);
                if (selector.IsEverything)
                    errors.Invalid(path.Child("selector"), selectorNode.ToJsonString(), "empty selector is invalid for deployment");
            }
            catch (ApiException e)
            {
                errors.Invalid(path.Child("selector"), selectorNode.ToJsonString(), e.Message);
            }
        }
        ValidateTemplate(spec, path, selector, errors);
    }

    /// <summary>The template is required, its labels must match a non-empty <paramref name="selector"/>, and its pod spec must be valid.</summary>
    public static void ValidateTemplate(JsonObject? spec, FieldPath path, LabelSelector? selector, FieldErrorList errors)
    {
        var template = spec.Obj("template");
        if (template is null)
        {
            errors.Required(path.Child("template"), "");
            return;
        }
        var labels = template.Obj("metadata", "labels");
        if (selector is not null && !selector.IsEverything && !selector.Matches(labels))
            errors.Invalid(path.Child("template", "metadata", "labels"), labels?.ToJsonString(), "`selector` does not match template `labels`");
        PodSpecRules.Validate(template.Obj("spec"), path.Child("template", "spec"), errors);
    }
}
