using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Orchestrator.Client;
using Orchestrator.Controllers.Runtime;

namespace Orchestrator.Controllers.Batch;

/// <summary>
/// Starts a CronJob's Jobs on its schedule, as kube's cronjob controller (v2): only the most recent missed
/// run is started, concurrencyPolicy decides what happens to runs still active, finished jobs beyond the
/// history limits are deleted oldest first, and the key is queued again for the next scheduled time.
/// </summary>
public sealed class CronJobController : QueueController
{
    public const string ScheduledTimestampAnnotation = "batch.kubernetes.io/cronjob-scheduled-timestamp";

    private CreationExpectations? expectations;

    public override string Name => "cronjob";

    protected override void Subscribe(ControllerContext context)
    {
        expectations = new CreationExpectations(context.Clock);
        QueueOwnKeys(context, MoreResources.CronJobs);
        QueueControllerOwner(context, MoreResources.Jobs, "CronJob");
    }

    protected override async Task ReconcileAsync(ControllerContext context, string key, CancellationToken token)
    {
        var (ns, name) = SplitKey(key);
        var cronJob = context.Informers.For(MoreResources.CronJobs).Get(ns, name);
        if (cronJob is null || cronJob.IsDeleting())
        {
            expectations!.Forget(key);
            return;
        }
        var now = context.Clock.GetUtcNow();
        var jobs = context.Informers.For(MoreResources.Jobs).List().Where(j => j.Namespace() == ns && j.IsControlledBy(cronJob)).ToList();
        var unseen = expectations!.Unseen(key, jobs.Select(j => j.Name()).ToHashSet(StringComparer.Ordinal));
        var active = jobs.Where(j => !JobConditions.IsFinished(j) && !j.IsDeleting()).ToList();
        var status = cronJob["status"]?.DeepClone() as JsonObject ?? [];

        await DeleteHistoryAsync(context, cronJob, jobs, token).ConfigureAwait(false);
        if (jobs.Where(j => j.HasTrueCondition(JobConditions.Complete)).Select(j => j.Time("status", "completionTime")).Max() is { } success
            && (status.Time("lastSuccessfulTime") is not { } previous || success > previous))
            status["lastSuccessfulTime"] = success.Rfc3339();

        if (cronJob.Bool("spec", "suspend") != true && Schedule(cronJob) is { } schedule)
        {
            var earliest = status.Time("lastScheduleTime") ?? cronJob.Time("metadata", "creationTimestamp") ?? now;
            if (cronJob.Long("spec", "startingDeadlineSeconds") is { } deadline && now.AddSeconds(-deadline) > earliest)
                earliest = now.AddSeconds(-deadline);
            if (schedule.MostRecent(earliest, now) is { } scheduled)
            {
                var policy = cronJob.Str("spec", "concurrencyPolicy") ?? "Allow";
                if (policy == "Forbid" && (active.Count > 0 || unseen > 0))
                {
                    Logger.LogDebug("cronjob {Key}: run at {Time} skipped, a job is still active", key, scheduled);
                }
                else
                {
                    if (policy == "Replace")
                    {
                        await DeleteJobsAsync(context, active, token).ConfigureAwait(false);
                        active.Clear();
                    }
                    var job = await StartJobAsync(context, cronJob, schedule, scheduled, key, token).ConfigureAwait(false);
                    if (job is not null && !active.Any(j => j.Uid() == job.Uid()))
                        active.Add(job);
                    status["lastScheduleTime"] = scheduled.Rfc3339();
                }
            }
            if (schedule.Next(now) is { } next)
                Queue.AddAfter(key, next - now);
        }

        if (active.Count > 0)
            status["active"] = new JsonArray([.. active.OrderBy(j => j.Name(), StringComparer.Ordinal).Select(Reference)]);
        else
            status.Remove("active");
        if (JsonNode.DeepEquals(cronJob["status"] ?? new JsonObject(), status))
            return;
        var updated = (JsonObject)cronJob.DeepClone();
        updated["status"] = status;
        await context.Client.UpdateAsync(MoreResources.CronJobs, updated, subresource: "status", token: token).ConfigureAwait(false);
    }

    private CronSchedule? Schedule(JsonObject cronJob)
    {
        try
        {
            return CronSchedule.Parse(cronJob.Str("spec", "schedule") ?? "", cronJob.Str("spec", "timeZone"));
        }
        catch (FormatException e)
        {
            // Nothing to retry: the object has to change first, and that queues it again.
            Logger.LogWarning("cronjob {Key}: {Error}", KeyOf(cronJob), e.Message);
            return null;
        }
    }

    /// <summary>Creates the job of one scheduled time; its name is derived from the time, so a repeated attempt finds it.</summary>
    private async Task<JsonObject?> StartJobAsync(ControllerContext context, JsonObject cronJob, CronSchedule schedule, DateTimeOffset scheduled,
        string key, CancellationToken token)
    {
        // Kube names jobs by minutes since the epoch; schedules with seconds need seconds to stay unique.
        var suffix = schedule.HasSeconds ? scheduled.ToUnixTimeSeconds() : scheduled.ToUnixTimeSeconds() / 60;
        var jobName = $"{cronJob.Name()}-{suffix.ToString(CultureInfo.InvariantCulture)}";
        var template = cronJob.Obj("spec", "jobTemplate") ?? [];
        var metadata = template["metadata"]?.DeepClone() as JsonObject ?? [];
        metadata["name"] = jobName;
        metadata["namespace"] = cronJob.Namespace();
        var annotations = metadata["annotations"] as JsonObject ?? [];
        annotations[ScheduledTimestampAnnotation] = scheduled.Rfc3339();
        metadata["annotations"] = annotations;
        metadata["ownerReferences"] = new JsonArray(Json.ControllerReference(cronJob, "batch/v1", "CronJob"));
        var job = new JsonObject
        {
            ["apiVersion"] = "batch/v1",
            ["kind"] = "Job",
            ["metadata"] = metadata,
            ["spec"] = template["spec"]?.DeepClone() ?? new JsonObject(),
        };
        try
        {
            var created = await context.Client.CreateAsync(MoreResources.Jobs, cronJob.Namespace(), job, token: token).ConfigureAwait(false);
            expectations!.Created(key, jobName);
            return created;
        }
        catch (KubeApiException e) when (e.Code == 409)
        {
            var existing = await context.Client.GetAsync(MoreResources.Jobs, cronJob.Namespace(), jobName, token).ConfigureAwait(false);
            if (!existing.IsControlledBy(cronJob))
                throw new InvalidOperationException($"job {jobName} exists and is not controlled by cronjob {KeyOf(cronJob)}");
            return JobConditions.IsFinished(existing) ? null : existing;
        }
    }

    private static async Task DeleteHistoryAsync(ControllerContext context, JsonObject cronJob, List<JsonObject> jobs, CancellationToken token)
    {
        var finished = jobs.Where(j => !j.IsDeleting()).ToList();
        var successful = finished.Where(j => j.HasTrueCondition(JobConditions.Complete)).ToList();
        var failed = finished.Where(j => j.HasTrueCondition(JobConditions.Failed)).ToList();
        await DeleteJobsAsync(context, Oldest(successful, cronJob.Long("spec", "successfulJobsHistoryLimit") ?? 3), token).ConfigureAwait(false);
        await DeleteJobsAsync(context, Oldest(failed, cronJob.Long("spec", "failedJobsHistoryLimit") ?? 1), token).ConfigureAwait(false);
    }

    private static IEnumerable<JsonObject> Oldest(List<JsonObject> jobs, long keep) =>
        jobs.OrderBy(j => j.Time("status", "startTime") ?? j.Time("metadata", "creationTimestamp") ?? DateTimeOffset.MinValue)
            .ThenBy(j => j.Name(), StringComparer.Ordinal)
            .Take(Math.Max(0, jobs.Count - (int)Math.Max(0, keep)));

    private static async Task DeleteJobsAsync(ControllerContext context, IEnumerable<JsonObject> jobs, CancellationToken token)
    {
        foreach (var job in jobs.ToList())
        {
            try
            {
                await context.Client.DeleteAsync(MoreResources.Jobs, job.Namespace(), job.Name(),
                    new DeleteOptions { PropagationPolicy = "Background", PreconditionUid = job.Uid() }, token).ConfigureAwait(false);
            }
            catch (KubeApiException e) when (e.Code is 404 or 409)
            {
            }
        }
    }

    private static JsonObject Reference(JsonObject job) => new()
    {
        ["apiVersion"] = "batch/v1",
        ["kind"] = "Job",
        ["name"] = job.Name(),
        ["namespace"] = job.Namespace(),
        ["uid"] = job.Uid(),
    };
}
