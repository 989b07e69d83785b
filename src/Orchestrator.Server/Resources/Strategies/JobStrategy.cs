using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;

namespace Orchestrator.Server.Resources.Strategies;

/// <summary>Jobs: run-to-completion defaults and a selector generated from the job's uid, as Kubernetes does.</summary>
public sealed class JobStrategy : ResourceStrategy
{
    public const string ControllerUidLabel = "batch.kubernetes.io/controller-uid";
    public const string JobNameLabel = "batch.kubernetes.io/job-name";

    private static readonly string[] RestartPolicies = ["OnFailure", "Never"];

    public override void ApplyDefaults(JsonObject obj) => DefaultJobSpec(obj.Child("spec"));

    public static void DefaultJobSpec(JsonObject spec)
    {
        spec.Default("parallelism", 1);
        spec.Default("completions", 1);
        spec.Default("backoffLimit", 6);
        spec.Default("completionMode", "NonIndexed");
        spec.Default("suspend", false);
        if (spec.Obj("template", "spec") is { } podSpec)
        {
            podSpec.Default("restartPolicy", "Never");
            PodSpecRules.ApplyDefaults(podSpec);
        }
    }

    public override void PrepareForCreate(JsonObject obj)
    {
        var spec = obj.Child("spec");
        if (spec["manualSelector"]?.GetValue<bool>() == true)
            return;
        var uid = obj.Str("metadata", "uid")!;
        var name = obj.Name();
        spec["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { [ControllerUidLabel] = uid } };
        var labels = spec.Child("template").Child("metadata").Child("labels");
        labels[ControllerUidLabel] = uid;
        labels[JobNameLabel] = name;
        labels["controller-uid"] = uid;
        labels["job-name"] = name;
    }

    public override void Validate(JsonObject obj, FieldErrorList errors) =>
        ValidateJobSpec(obj.Obj("spec"), FieldPath.Root("spec"), errors, selectorRequired: true);

    public static void ValidateJobSpec(JsonObject? spec, FieldPath path, FieldErrorList errors, bool selectorRequired)
    {
        foreach (var field in new[] { "parallelism", "completions", "backoffLimit", "activeDeadlineSeconds" })
        {
            if (spec.Long(field) is < 0)
                errors.Invalid(path.Child(field), spec.Long(field), "must be greater than or equal to 0");
        }
        TemplateRules.ValidateSelectorAndTemplate(spec, path, errors, selectorRequired);
        var restart = spec.Str("template", "spec", "restartPolicy");
        if (restart is not null && !RestartPolicies.Contains(restart))
            errors.NotSupported(path.Child("template", "spec", "restartPolicy"), restart, RestartPolicies);
    }
}

/// <summary>CronJobs: a schedule Cronos can parse, and a job template that is a valid job.</summary>
public sealed class CronJobStrategy : ResourceStrategy
{
    private static readonly string[] ConcurrencyPolicies = ["Allow", "Forbid", "Replace"];

    public override IReadOnlyList<string> CheckName(string name) =>
        name.Length > 52 ? ["must be no more than 52 characters"] : base.CheckName(name);

    public override void ApplyDefaults(JsonObject obj)
    {
        var spec = obj.Child("spec");
        spec.Default("concurrencyPolicy", "Allow");
        spec.Default("suspend", false);
        spec.Default("successfulJobsHistoryLimit", 3);
        spec.Default("failedJobsHistoryLimit", 1);
        if (spec.Obj("jobTemplate", "spec") is { } jobSpec)
            JobStrategy.DefaultJobSpec(jobSpec);
    }

    public override void Validate(JsonObject obj, FieldErrorList errors)
    {
        var spec = obj.Obj("spec");
        var path = FieldPath.Root("spec");
        var schedule = spec.Str("schedule");
        if (string.IsNullOrWhiteSpace(schedule))
            errors.Required(path.Child("schedule"), "");
        else if (Orchestrator.Api.Validation.CronScheduleRule.Validate(schedule) is { } scheduleError)
            errors.Invalid(path.Child("schedule"), schedule, scheduleError);
        var policy = spec.Str("concurrencyPolicy");
        if (policy is not null && !ConcurrencyPolicies.Contains(policy))
            errors.NotSupported(path.Child("concurrencyPolicy"), policy, ConcurrencyPolicies);
        JobStrategy.ValidateJobSpec(spec.Obj("jobTemplate", "spec"), path.Child("jobTemplate", "spec"), errors, selectorRequired: false);
    }
}
