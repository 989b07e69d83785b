using static Orchestrator.Api.Protobuf.ProtoField;

namespace Orchestrator.Api.Protobuf.Schemas;

/// <summary>
/// k8s.io/api/batch/v1/generated.proto (field numbers as of v1.32). Pod failure and success
/// policies are not described (no generator sets them); their fields are skipped.
/// </summary>
internal static class BatchV1Schema
{
    public static readonly ProtoMessage JobSpec = new(
        "JobSpec",
        I32(1, "parallelism").Pointer(),
        I32(2, "completions").Pointer(),
        I64(3, "activeDeadlineSeconds").Pointer(),
        Msg(4, "selector", MetaV1Schema.LabelSelector),
        Bool(5, "manualSelector").Pointer(),
        Msg(6, "template", CoreV1Schema.PodTemplateSpec),
        I32(7, "backoffLimit").Pointer(),
        I32(8, "ttlSecondsAfterFinished").Pointer(),
        Str(9, "completionMode").Pointer(),
        Bool(10, "suspend").Pointer(),
        I32(12, "backoffLimitPerIndex").Pointer(),
        I32(13, "maxFailedIndexes").Pointer(),
        Str(14, "podReplacementPolicy").Pointer(),
        Str(15, "managedBy").Pointer());

    public static readonly ProtoMessage Job = new(
        "Job",
        Msg(1, "metadata", MetaV1Schema.ObjectMeta),
        Msg(2, "spec", JobSpec));

    public static readonly ProtoMessage JobTemplateSpec = new(
        "JobTemplateSpec",
        Msg(1, "metadata", MetaV1Schema.ObjectMeta),
        Msg(2, "spec", JobSpec));

    public static readonly ProtoMessage CronJobSpec = new(
        "CronJobSpec",
        Str(1, "schedule").Pointer(),
        I64(2, "startingDeadlineSeconds").Pointer(),
        Str(3, "concurrencyPolicy"),
        Bool(4, "suspend").Pointer(),
        Msg(5, "jobTemplate", JobTemplateSpec),
        I32(6, "successfulJobsHistoryLimit").Pointer(),
        I32(7, "failedJobsHistoryLimit").Pointer(),
        Str(8, "timeZone").Pointer());

    public static readonly ProtoMessage CronJob = new(
        "CronJob",
        Msg(1, "metadata", MetaV1Schema.ObjectMeta),
        Msg(2, "spec", CronJobSpec));
}
