using System.Globalization;
using System.Text.Json.Nodes;

namespace Orchestrator.Api.Tables;

/// <summary>
/// Pod rows: NAME READY STATUS RESTARTS AGE, wide IP NODE NOMINATED-NODE READINESS-GATES.
/// The STATUS rules follow kube's printPod, because users read "CrashLoopBackOff",
/// "Init:0/2" or "Terminating" from it rather than from the phase.
/// </summary>
internal static class PodPrinter
{
    public static TablePrinter Printer { get; } = new(
        [
            CommonColumns.Name,
            CommonColumns.Text("Ready", "The aggregate readiness state of this pod for accepting traffic."),
            CommonColumns.Text("Status", "The aggregate status of the containers in this pod."),
            CommonColumns.Text("Restarts", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
            CommonColumns.Age,
            CommonColumns.Wide("IP", "podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated."),
            CommonColumns.Wide("Node", "NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName."),
            CommonColumns.Wide("Nominated Node", "nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods."),
            CommonColumns.Wide("Readiness Gates", "If specified, all readiness gates will be evaluated for pod readiness."),
        ],
        Cells,
        Conditions);

    private static JsonArray Cells(JsonObject pod, DateTimeOffset now)
    {
        PodSummary summary = Summarize(pod);
        string restarts = summary.Restarts.ToString(CultureInfo.InvariantCulture);
        if (summary.Restarts != 0 && summary.LastRestart is { } last)
        {
            restarts = $"{restarts} ({HumanDuration.Since(last, now)} ago)";
        }

        JsonNode? status = pod["status"];
        string ip = status.Items("podIPs").Select(p => p.Str("ip") ?? "").FirstOrDefault()
            // A client that wrote only the singular field still gets its IP shown.
            ?? (status.Str("podIP") ?? "");

        return new JsonArray(
            pod.Name(),
            $"{summary.Ready}/{summary.Total}",
            summary.Reason,
            restarts,
            HumanDuration.Since(pod.Created(), now),
            OrNone(ip),
            OrNone(pod.Str("spec", "nodeName") ?? ""),
            OrNone(status.Str("nominatedNodeName") ?? ""),
            ReadinessGates(pod));
    }

    private static JsonArray? Conditions(JsonObject pod) => (pod.Str("status", "phase") ?? "") switch
    {
        "Succeeded" => [Completed("Succeeded", "The pod has completed successfully.")],
        "Failed" => [Completed("Failed", "The pod failed.")],
        _ => null,
    };

    private static JsonObject Completed(string reason, string message) => new()
    {
        ["type"] = "Completed",
        ["status"] = "True",
        ["reason"] = reason,
        ["message"] = message,
    };

    private readonly record struct PodSummary(int Ready, int Total, string Reason, long Restarts, DateTimeOffset? LastRestart);

    private static PodSummary Summarize(JsonObject pod)
    {
        JsonNode? spec = pod["spec"];
        JsonNode? status = pod["status"];
        List<JsonObject> initSpecs = [.. spec.Items("initContainers")];
        HashSet<string> sidecars = [.. initSpecs.Where(IsRestartable).Select(c => c.Str("name") ?? "")];
        int total = spec.Items("containers").Count() + sidecars.Count;
        int ready = 0;

        string phase = status.Str("phase") ?? "";
        string reason = status.Str("reason") is { Length: > 0 } statusReason ? statusReason : phase;
        if (status.Items("conditions").Any(c => c.Str("type") == "PodScheduled" && c.Str("reason") == "SchedulingGated"))
        {
            reason = "SchedulingGated";
        }

        long restarts = 0, sidecarRestarts = 0;
        DateTimeOffset? lastRestart = null, lastSidecarRestart = null;
        bool initializing = false;
        List<JsonObject> initStatuses = [.. status.Items("initContainerStatuses")];
        for (int i = 0; i < initStatuses.Count; i++)
        {
            JsonObject container = initStatuses[i];
            bool sidecar = sidecars.Contains(container.Str("name") ?? "");
            restarts += container.Long("restartCount") ?? 0;
            lastRestart = Later(lastRestart, LastTerminated(container));
            if (sidecar)
            {
                sidecarRestarts += container.Long("restartCount") ?? 0;
                lastSidecarRestart = Later(lastSidecarRestart, LastTerminated(container));
            }

            JsonObject? terminated = container.Obj("state", "terminated");
            JsonObject? waiting = container.Obj("state", "waiting");
            if (terminated is not null && (terminated.Long("exitCode") ?? 0) == 0)
            {
                continue;
            }

            if (sidecar && container.Bool("started") == true)
            {
                ready += container.Bool("ready") == true ? 1 : 0;
                continue;
            }

            // The first init container that has not finished decides the status.
            initializing = true;
            if (terminated is not null)
            {
                reason = "Init:" + TerminatedReason(terminated);
            }
            else if (waiting.Str("reason") is { Length: > 0 } waitingReason && waitingReason != "PodInitializing")
            {
                reason = "Init:" + waitingReason;
            }
            else
            {
                reason = $"Init:{i}/{initSpecs.Count}";
            }

            break;
        }

        if (!initializing || pod.HasTrueCondition("Initialized"))
        {
            // Init containers that finished no longer count; sidecars keep counting.
            restarts = sidecarRestarts;
            lastRestart = lastSidecarRestart;
            bool hasRunning = false;
            List<JsonObject> statuses = [.. status.Items("containerStatuses")];

            // Backwards, so the first container with a reason wins, as in kube.
            for (int i = statuses.Count - 1; i >= 0; i--)
            {
                JsonObject container = statuses[i];
                restarts += container.Long("restartCount") ?? 0;
                lastRestart = Later(lastRestart, LastTerminated(container));
                JsonObject? terminated = container.Obj("state", "terminated");
                if (container.Str("state", "waiting", "reason") is { Length: > 0 } waitingReason)
                {
                    reason = waitingReason;
                }
                else if (terminated is not null)
                {
                    reason = TerminatedReason(terminated);
                }
                else if (container.Bool("ready") == true && container.Obj("state", "running") is not null)
                {
                    hasRunning = true;
                    ready++;
                }
            }

            if (reason == "Completed" && hasRunning)
            {
                reason = pod.AnyTrueCondition("Ready") ? "Running" : "NotReady";
            }
        }

        if (pod.IsDeleting() && status.Str("reason") == "NodeLost")
        {
            reason = "Unknown";
        }
        else if (pod.IsDeleting() && phase is not ("Succeeded" or "Failed"))
        {
            reason = "Terminating";
        }

        return new PodSummary(ready, total, reason, restarts, lastRestart);
    }

    /// <summary>The terminated reason, or "Signal:N" / "ExitCode:N" when the runtime gave none.</summary>
    private static string TerminatedReason(JsonObject terminated)
    {
        if (terminated.Str("reason") is { Length: > 0 } reason)
        {
            return reason;
        }

        long signal = terminated.Long("signal") ?? 0;
        return signal != 0
            ? $"Signal:{signal.ToString(CultureInfo.InvariantCulture)}"
            : $"ExitCode:{(terminated.Long("exitCode") ?? 0).ToString(CultureInfo.InvariantCulture)}";
    }

    private static bool IsRestartable(JsonObject initContainer) => initContainer.Str("restartPolicy") == "Always";

    private static DateTimeOffset? LastTerminated(JsonObject container) =>
        container.Time("lastState", "terminated", "finishedAt");

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : (a > b ? a : b);

    private static string ReadinessGates(JsonObject pod)
    {
        List<string> gates = [.. pod.Items("spec", "readinessGates").Select(g => g.Str("conditionType") ?? "")];
        if (gates.Count == 0)
        {
            return LabelFormat.None;
        }

        int met = gates.Count(gate => pod.HasTrueCondition(gate));
        return $"{met}/{gates.Count}";
    }

    private static string OrNone(string value) => value.Length == 0 ? LabelFormat.None : value;
}
