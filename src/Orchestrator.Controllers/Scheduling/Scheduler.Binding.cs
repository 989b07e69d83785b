using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Orchestrator.Client;
using Orchestrator.Controllers.Runtime;

namespace Orchestrator.Controllers.Scheduling;

// Writing decisions: bindings and the Unschedulable condition.
public sealed partial class Scheduler
{
    private async Task BindAsync(ControllerContext context, JsonObject pod, PodRequirements requirements, string node, SemaphoreSlim slots,
        CancellationToken token)
    {
        try
        {
            var binding = new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Binding",
                // The uid makes the binding a precondition on this very pod (not a namesake created since).
                ["metadata"] = new JsonObject { ["name"] = requirements.Name, ["namespace"] = requirements.Namespace, ["uid"] = requirements.Uid },
                ["target"] = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Node", ["name"] = node },
            };
            await context.Client.CreateSubresourceAsync(ApiResource.Pods, requirements.Namespace, requirements.Name, "binding", binding, token: token)
                .ConfigureAwait(false);
            Interlocked.Increment(ref bound);
            queue.Delete(requirements.Key);
            events.Normal(pod, "Scheduled", $"Successfully assigned {requirements.Key} to {node}");
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            lock (cache.Gate)
                cache.ForgetAssumed(requirements.Key);
        }
        catch (Exception e)
        {
            lock (cache.Gate)
                cache.ForgetAssumed(requirements.Key);
            if (e is KubeApiException { Code: 404 }
                || (e is KubeApiException { Code: 409 } conflict && conflict.Message.Contains("already assigned", StringComparison.Ordinal)))
            {
                // Deleted meanwhile, or bound by someone else (the informer brings the real placement).
                queue.Delete(requirements.Key);
                return;
            }
            logger.LogWarning(e, "binding {Pod} to {Node} failed; retrying", requirements.Key, node);
            queue.AddBackoff(requirements.Key);
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task ReportUnschedulableAsync(ControllerContext context, JsonObject pod, string message, SemaphoreSlim slots, CancellationToken token)
    {
        try
        {
            await WriteUnschedulableAsync(context, pod, message, token).ConfigureAwait(false);
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task WriteUnschedulableAsync(ControllerContext context, JsonObject pod, string message, CancellationToken token)
    {
        // One event per failed attempt, as kube-scheduler: the recorder folds repeats into a count and rate-limits them.
        events.Warning(pod, "FailedScheduling", message);
        if (IsMarkedUnschedulable(pod, message))
            return;
        var updated = (JsonObject)pod.DeepClone();
        var status = updated["status"] as JsonObject ?? [];
        updated["status"] = status;
        var conditions = status["conditions"] as JsonArray ?? [];
        status["conditions"] = conditions;
        var condition = conditions.OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == "PodScheduled");
        if (condition is null)
        {
            condition = new JsonObject { ["type"] = "PodScheduled" };
            conditions.Add(condition);
        }
        if (condition.Str("status") != "False")
            condition["lastTransitionTime"] = Json.Timestamp(context.Clock.GetUtcNow());
        condition["status"] = "False";
        condition["reason"] = "Unschedulable";
        condition["message"] = message;
        condition["lastProbeTime"] = null;
        status["phase"] ??= "Pending";
        try
        {
            // The cached resourceVersion is the precondition: if the pod changed (or got bound), 409 and the newer state wins.
            await context.Client.UpdateAsync(ApiResource.Pods, updated, subresource: "status", token: token).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.Code is 404 or 409)
        {
        }
        catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
        {
            logger.LogDebug(e, "could not mark {Pod} unschedulable", QueueController.KeyOf(pod));
        }
    }

    /// <summary>
    /// Whether the pod already says PodScheduled=False/Unschedulable with this message: writing it again would
    /// change nothing (kube keeps lastTransitionTime when the status stays), so it is not sent.
    /// </summary>
    internal static bool IsMarkedUnschedulable(JsonObject pod, string message) =>
        pod.Condition("PodScheduled") is { } current
        && current.Str("status") == "False"
        && current.Str("reason") == "Unschedulable"
        && (current.Str("message") ?? "") == message;
}
