using System.Text.Json.Nodes;
using Orchestrator.Client;
using Orchestrator.Controllers.Runtime;

namespace Orchestrator.Controllers.Batch;

/// <summary>
/// Runs a Job's pods to completion, as kube's job controller for NonIndexed jobs: keeps up to parallelism
/// pods active until completions pods have succeeded; fails the job when more than backoffLimit pods have
/// failed or activeDeadlineSeconds has passed, deleting what still runs.
/// </summary>
/// <remarks>
/// Succeeded and failed are counted from the job's pods that still exist (kube tracks them with a pod
/// finalizer so deleted pods keep counting; that is not done here).
/// </remarks>
public sealed class JobController : QueueController
{
    private const string BackoffLimitExceeded = "BackoffLimitExceeded";
    private const string DeadlineExceeded = "DeadlineExceeded";

    private CreationExpectations? expectations;

    public override string Name => "job";

    protected override void Subscribe(ControllerContext context)
    {
        expectations = new CreationExpectations(context.Clock);
        QueueOwnKeys(context, MoreResources.Jobs);
        QueueControllerOwner(context, ApiResource.Pods, "Job");
    }

    protected override async Task ReconcileAsync(ControllerContext context, string key, CancellationToken token)
    {
        var (ns, name) = SplitKey(key);
        var job = context.Informers.For(MoreResources.Jobs).Get(ns, name);
        if (job is null || job.IsDeleting())
        {
            expectations!.Forget(key);
            return;
        }
        var now = context.Clock.GetUtcNow();
        var pods = context.Informers.For(ApiResource.Pods).List().Where(p => p.Namespace() == ns && p.IsControlledBy(job)).ToList();
        var active = pods.Where(PodState.IsActive).ToList();
        var running = pods.Count(p => !PodState.IsTerminal(p));
        var succeeded = pods.Count(p => p.Str("status", "phase") == "Succeeded");
        var failed = pods.Count(p => p.Str("status", "phase") == "Failed");
        var unseen = expectations!.Unseen(key, pods.Select(p => p.Name()).ToHashSet(StringComparer.Ordinal));

        var status = job["status"]?.DeepClone() as JsonObject ?? [];
        var suspended = job.Bool("spec", "suspend") == true;
        if (status["startTime"] is null && !suspended)
            status["startTime"] = now.Rfc3339();

        if (JobConditions.IsFinished(job))
        {
            await DeletePodsAsync(context, active, token).ConfigureAwait(false);
        }
        else if (FailureReason(job, status, failed, now) is { } failure)
        {
            JobConditions.Set(status, JobConditions.FailureTarget, failure.Reason, failure.Message, now);
            await DeletePodsAsync(context, active, token).ConfigureAwait(false);
            if (running == 0)
                JobConditions.Set(status, JobConditions.Failed, failure.Reason, failure.Message, now);
        }
        else if (IsSuccessful(job, succeeded, active.Count))
        {
            JobConditions.Set(status, JobConditions.SuccessCriteriaMet, "CompletionsReached", "Reached expected number of succeeded pods", now);
            await DeletePodsAsync(context, active, token).ConfigureAwait(false);
            if (running == 0)
            {
                JobConditions.Set(status, JobConditions.Complete, "CompletionsReached", "Reached expected number of succeeded pods", now);
                status["completionTime"] = now.Rfc3339();
            }
        }
        else
        {
            var want = suspended ? 0 : WantActive(job, succeeded);
            var have = active.Count + unseen;
            if (have < want)
                await CreatePodsAsync(context, job, key, want - have, token).ConfigureAwait(false);
            else if (active.Count > want)
                await DeletePodsAsync(context, Surplus(active, active.Count - want), token).ConfigureAwait(false);
            if (job.Long("spec", "activeDeadlineSeconds") is { } deadline && status.Time("startTime") is { } start)
                Queue.AddAfter(key, start.AddSeconds(deadline) - now);
        }

        SetCount(status, "active", active.Count);
        SetCount(status, "succeeded", succeeded);
        SetCount(status, "failed", failed);
        status["ready"] = active.Count(PodState.IsReady);
        status["terminating"] = pods.Count(p => p.IsDeleting() && !PodState.IsTerminal(p));
        if (JsonNode.DeepEquals(job["status"], status))
            return;
        var updated = (JsonObject)job.DeepClone();
        updated["status"] = status;
        await context.Client.UpdateAsync(MoreResources.Jobs, updated, subresource: "status", token: token).ConfigureAwait(false);
    }

    private static (string Reason, string Message)? FailureReason(JsonObject job, JsonObject status, long failed, DateTimeOffset now)
    {
        if (status["conditions"] is JsonArray conditions
            && conditions.OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == JobConditions.FailureTarget && c.Str("status") == "True") is { } target)
            return (target.Str("reason") ?? "", target.Str("message") ?? "");
        if (failed > (job.Long("spec", "backoffLimit") ?? 6))
            return (BackoffLimitExceeded, "Job has reached the specified backoff limit");
        if (job.Long("spec", "activeDeadlineSeconds") is { } deadline && status.Time("startTime") is { } start && now >= start.AddSeconds(deadline))
            return (DeadlineExceeded, "Job was active longer than specified deadline");
        return null;
    }

    /// <summary>With completions: that many successes. Without (a work queue): one success and nothing left running.</summary>
    private static bool IsSuccessful(JsonObject job, int succeeded, int active) =>
        job.Long("spec", "completions") is { } completions ? succeeded >= completions : succeeded > 0 && active == 0;

    private static int WantActive(JsonObject job, int succeeded)
    {
        var parallelism = (int)(job.Long("spec", "parallelism") ?? 1);
        return job.Long("spec", "completions") is { } completions
            ? Math.Max(0, Math.Min(parallelism, (int)completions - succeeded))
            : succeeded > 0 ? 0 : parallelism;
    }

    private async Task CreatePodsAsync(ControllerContext context, JsonObject job, string key, int count, CancellationToken token)
    {
        var template = job.Obj("spec", "template") ?? [];
        for (var i = 0; i < count; i++)
        {
            var metadata = template["metadata"]?.DeepClone() as JsonObject ?? [];
            metadata.Remove("name");
            metadata["generateName"] = job.Name() + "-";
            metadata["namespace"] = job.Namespace();
            metadata["ownerReferences"] = new JsonArray(Json.ControllerReference(job, "batch/v1", "Job"));
            var pod = new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Pod",
                ["metadata"] = metadata,
                ["spec"] = template["spec"]?.DeepClone(),
            };
            var created = await context.Client.CreateAsync(ApiResource.Pods, job.Namespace(), pod, token: token).ConfigureAwait(false);
            expectations!.Created(key, created.Name());
        }
    }

    /// <summary>The pods to remove when too many run: not ready ones first, then the newest.</summary>
    private static IEnumerable<JsonObject> Surplus(List<JsonObject> active, int count) =>
        active.OrderBy(PodState.IsReady)
            .ThenByDescending(p => p.Time("metadata", "creationTimestamp") ?? DateTimeOffset.MinValue)
            .Take(count);

    private static async Task DeletePodsAsync(ControllerContext context, IEnumerable<JsonObject> pods, CancellationToken token)
    {
        foreach (var pod in pods)
        {
            try
            {
                await context.Client.DeleteAsync(ApiResource.Pods, pod.Namespace(), pod.Name(),
                    new DeleteOptions { PreconditionUid = pod.Uid() }, token).ConfigureAwait(false);
            }
            catch (KubeApiException e) when (e.Code is 404 or 409)
            {
            }
        }
    }

    /// <summary>Counts are omitted when zero, as in kube's JSON.</summary>
    private static void SetCount(JsonObject status, string field, int value)
    {
        if (value == 0)
            status.Remove(field);
        else
            status[field] = value;
    }
}
