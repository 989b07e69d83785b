using System.Text.Json.Nodes;
using Orchestrator.Client;

namespace Orchestrator.Node.Agent;

// Status as kubelet reports it: phase, IPs, conditions and containerStatuses; posted only when it changed.
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed partial class PodWorker
{
    private async Task PostStatusAsync(CancellationToken token)
    {
        var status = BuildStatus(Volatile.Read(ref latest));
        var text = status.ToJsonString();
        if (text == lastPosted)
            return;
        for (var attempt = 0; ; attempt++)
        {
            var pod = attempt == 0
                ? Volatile.Read(ref latest)
                : await context.Client.GetAsync(ApiResource.Pods, Namespace, Name, token).ConfigureAwait(false);
            if ((pod.Str("metadata", "uid") ?? "") != Uid)
                return;
            var updated = (JsonObject)pod.DeepClone();
            updated["status"] = status.DeepClone();
            try
            {
                await context.Client.UpdateAsync(ApiResource.Pods, updated, subresource: "status", token: token).ConfigureAwait(false);
                lastPosted = text;
                return;
            }
            catch (KubeApiException e) when (e.Code == 409 && attempt < 3)
            {
                // Our cached copy is stale (someone else wrote the pod): read it afresh and post again.
            }
            catch (KubeApiException e) when (e.Code == 404)
            {
                return;
            }
        }
    }

    public string Namespace => Key[..Key.IndexOf('/')];

    public string Name => Key[(Key.IndexOf('/') + 1)..];

    private JsonObject BuildStatus(JsonObject pod)
    {
        var now = Json.Timestamp(context.Clock.GetUtcNow());
        var previous = pod["status"] as JsonObject;
        var phase = Phase();
        var allReady = slots.All(s => s.IsReady);
        var status = new JsonObject
        {
            ["phase"] = phase,
            ["hostIP"] = context.Options.InternalIp,
            ["hostIPs"] = new JsonArray(new JsonObject { ["ip"] = context.Options.InternalIp }),
            ["qosClass"] = previous.Str("qosClass") ?? QosClass(pod),
        };
        if (sandbox is not null)
        {
            status["podIP"] = sandbox.Address;
            status["podIPs"] = new JsonArray(new JsonObject { ["ip"] = sandbox.Address });
        }
        if (startTime is { } started)
            status["startTime"] = Json.Timestamp(started);
        var notReady = string.Join(", ", slots.Where(s => !s.IsReady).Select(s => s.Name));
        var (reason, message) = phase is "Succeeded" or "Failed" ? ("PodCompleted", (string?)null)
            : allReady ? (null, null) : ("ContainersNotReady", $"containers with unready status: [{notReady}]");
        status["conditions"] = new JsonArray(
            Condition(previous, "PodReadyToStartContainers", sandbox is not null, null, null, now),
            Condition(previous, "Initialized", true, null, null, now),
            Condition(previous, "Ready", allReady, reason, message, now),
            Condition(previous, "ContainersReady", allReady, reason, message, now),
            Condition(previous, "PodScheduled", true, null, null, now));
        status["containerStatuses"] = new JsonArray([.. slots.Select(ContainerStatus)]);
        return status;
    }

    private string Phase()
    {
        if (slots.All(s => s.Done))
            return slots.All(s => s.DoneExitCode == 0) ? "Succeeded" : "Failed";
        if (slots.Any(s => s.IsRunning || s.LastTermination is not null))
            return "Running";
        return "Pending";
    }

    private JsonObject ContainerStatus(ContainerSlot slot)
    {
        JsonObject state;
        JsonObject? lastState = null;
        if (slot.IsRunning)
        {
            state = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = Json.Timestamp(slot.StartedAt) } };
            lastState = slot.LastTermination;
        }
        else if (slot.Done && slot.LastTermination is not null)
        {
            state = new JsonObject { ["terminated"] = slot.LastTermination.DeepClone() };
        }
        else
        {
            var waiting = new JsonObject { ["reason"] = slot.WaitingReason ?? "ContainerCreating" };
            if (slot.WaitingMessage is not null)
                waiting["message"] = slot.WaitingMessage;
            state = new JsonObject { ["waiting"] = waiting };
            lastState = slot.LastTermination;
        }
        var status = new JsonObject
        {
            ["name"] = slot.Name,
            ["image"] = slot.Image,
            ["imageID"] = slot.ImageId,
            ["ready"] = slot.IsReady,
            ["started"] = slot.IsRunning && slot.Started,
            ["restartCount"] = slot.RestartCount,
            ["state"] = state,
            ["lastState"] = lastState is null ? new JsonObject() : new JsonObject { ["terminated"] = lastState.DeepClone() },
        };
        if (slot.LastRuntimeId is { } id)
            status["containerID"] = "runc://" + id;
        return status;
    }

    /// <summary>A condition whose lastTransitionTime moves only when its status flips, as in Kubernetes.</summary>
    private static JsonObject Condition(JsonObject? previous, string type, bool value, string? reason, string? message, string now)
    {
        var text = value ? "True" : "False";
        var old = previous.Items("conditions").FirstOrDefault(c => (c.Str("type") ?? "") == type);
        var condition = new JsonObject
        {
            ["type"] = type,
            ["status"] = text,
            ["lastProbeTime"] = null,
            ["lastTransitionTime"] = old is not null && (old.Str("status") ?? "") == text
                ? old.Str("lastTransitionTime") ?? now
                : now,
        };
        if (reason is not null)
            condition["reason"] = reason;
        if (message is not null)
            condition["message"] = message;
        return condition;
    }

    private static string QosClass(JsonObject pod)
    {
        var containers = pod.Items("spec", "containers").ToList();
        if (containers.All(c => c.Obj("resources", "requests") is not { Count: > 0 } && c.Obj("resources", "limits") is not { Count: > 0 }))
            return "BestEffort";
        var guaranteed = containers.All(c =>
            c.Str("resources", "limits", "cpu") is { } cpu && c.Str("resources", "limits", "memory") is { } memory
            && (c.Str("resources", "requests", "cpu") ?? cpu) == cpu
            && (c.Str("resources", "requests", "memory") ?? memory) == memory);
        return guaranteed ? "Guaranteed" : "Burstable";
    }
}
