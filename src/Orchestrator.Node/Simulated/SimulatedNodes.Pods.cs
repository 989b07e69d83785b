using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Orchestrator.Client;
using Orchestrator.Client.Informers;

namespace Orchestrator.Node.Simulated;

// Pods: one informer of all pods, filtered to ours by spec.nodeName (a field-selected watch per node would
// cost a connection per node). Keys go to a de-duplicating queue; workers act on the cached pod's latest
// state, so a conflict just waits for the informer to deliver the newer version.
public sealed partial class SimulatedNodes
{
    private readonly Channel<string> podWork = Channel.CreateUnbounded<string>();
    private readonly ConcurrentDictionary<string, byte> podQueued = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> terminating = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> completing = new(StringComparer.Ordinal);

    /// <summary>The exit code a simulated run-to-completion pod ends with ("0" when absent).</summary>
    public const string ExitCodeAnnotation = "simulation.orchestrator.io/exit-code";

    private ValueTask OnPodAsync(InformerEvent change, CancellationToken token)
    {
        var pod = change.Object;
        if (!nodes.TryGetValue(pod.Str("spec", "nodeName") ?? "", out var node))
            return ValueTask.CompletedTask;
        if (change.Type == InformerEventType.Deleted)
        {
            node.Release(pod.Str("metadata", "uid") ?? "");
            return ValueTask.CompletedTask;
        }
        if (node.Alive && NeedsWork(pod))
            EnqueuePod(pod);
        return ValueTask.CompletedTask;
    }

    private static bool NeedsWork(JsonObject pod) =>
        pod.IsDeleting()
        || (pod.Str("status", "phase") ?? "") is not ("Running" or "Succeeded" or "Failed")
        || pod.Str("status", "phase") == "Running"
            && (RunsToCompletion(pod) || pod.Condition("Ready").Str("status") != "True");

    /// <summary>Pods that restart never or on failure (jobs) exit after a simulated run; others run until deleted.</summary>
    private static bool RunsToCompletion(JsonObject pod) => pod.Str("spec", "restartPolicy") is "Never" or "OnFailure";

    private void EnqueuePod(JsonObject pod)
    {
        var key = (pod.Str("metadata", "namespace") ?? "") + "/" + pod.Name();
        if (podQueued.TryAdd(key, 0))
            podWork.Writer.TryWrite(key);
    }

    private Task RunPodWorkersAsync(CancellationToken token) =>
        Task.WhenAll(Enumerable.Range(0, options.Parallelism).Select(_ => PodWorkerAsync(token)));

    private async Task PodWorkerAsync(CancellationToken token)
    {
        try
        {
            await foreach (var key in podWork.Reader.ReadAllAsync(token).ConfigureAwait(false))
            {
                podQueued.TryRemove(key, out _);
                var slash = key.IndexOf('/');
                var pod = pods.Get(key[..slash], key[(slash + 1)..]);
                if (pod is null || !nodes.TryGetValue(pod.Str("spec", "nodeName") ?? "", out var node) || !node.Alive)
                    continue;
                try
                {
                    if (pod.IsDeleting())
                        StartTermination(pod, key, token);
                    else if (pod.Str("status", "phase") == "Running" && RunsToCompletion(pod))
                        StartCompletion(pod, key, token);
                    else if (NeedsWork(pod))
                        await RunPodAsync(pod, node, token).ConfigureAwait(false);
                }
                catch (KubeApiException e) when (e.Code is 404 or 409)
                {
                    // Gone, or changed meanwhile: the informer delivers the newer state and queues it again.
                }
                catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    logger.LogDebug(e, "pod {Pod} on {Node} not updated; retrying", key, node.Name);
                    EnqueuePod(pod);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    /// <summary>Pending -> Running: what kubelet reports once every container has started and is ready.</summary>
    private async Task RunPodAsync(JsonObject pod, SimulatedNode node, CancellationToken token)
    {
        var now = Json.Timestamp(clock.GetUtcNow());
        var uid = pod.Str("metadata", "uid") ?? "";
        var updated = (JsonObject)pod.DeepClone();
        var status = updated["status"] as JsonObject ?? [];
        updated["status"] = status;
        var podIp = status.Str("podIP") ?? node.PodAddress(uid);
        status["phase"] = "Running";
        status["hostIP"] = node.Address;
        status["hostIPs"] = new JsonArray(new JsonObject { ["ip"] = node.Address });
        status["podIP"] = podIp;
        status["podIPs"] = new JsonArray(new JsonObject { ["ip"] = podIp });
        status["startTime"] ??= now;
        status["qosClass"] ??= QosClass(pod);
        var conditions = status["conditions"] as JsonArray ?? [];
        status["conditions"] = conditions;
        foreach (var type in (string[])["PodReadyToStartContainers", "Initialized", "ContainersReady", "Ready", "PodScheduled"])
            SetTrue(conditions, type, now);
        var containers = new JsonArray();
        foreach (var container in pod.Items("spec", "containers"))
        {
            var image = container.Str("image") ?? "";
            var name = container.Str("name") ?? "";
            containers.Add(new JsonObject
            {
                ["name"] = name,
                ["image"] = image,
                ["imageID"] = $"{image}@sha256:{Hash(image)}",
                ["containerID"] = $"simulated://{Hash(uid + "/" + name)}",
                ["ready"] = true,
                ["started"] = true,
                ["restartCount"] = 0,
                ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = now } },
            });
        }
        status["containerStatuses"] = containers;
        await client.UpdateAsync(ApiResource.Pods, updated, subresource: "status", token: token).ConfigureAwait(false);
    }

    /// <summary>A pod with a deletionTimestamp "stops" for a moment, then is removed for good (grace 0, this very uid).</summary>
    private void StartTermination(JsonObject pod, string key, CancellationToken token)
    {
        var uid = pod.Str("metadata", "uid") ?? "";
        if (!terminating.TryAdd(uid, 0))
            return;
        _ = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(options.TerminationDelay, clock, token).ConfigureAwait(false);
                var slash = key.IndexOf('/');
                await client.DeleteAsync(ApiResource.Pods, key[..slash], key[(slash + 1)..],
                    new DeleteOptions { GracePeriodSeconds = 0, PreconditionUid = uid }, token).ConfigureAwait(false);
            }
            catch (KubeApiException e) when (e.Code is 404 or 409)
            {
            }
            catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
            {
                logger.LogDebug(e, "deleting {Pod} failed; retrying", key);
                terminating.TryRemove(uid, out _);
                if (pods.Get(key[..key.IndexOf('/')], key[(key.IndexOf('/') + 1)..]) is { } again)
                    EnqueuePod(again);
                return;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            terminating.TryRemove(uid, out _);
        }, CancellationToken.None);
    }

    /// <summary>
    /// A run-to-completion pod "exits" after <see cref="SimulatedNodeOptions.RunDuration"/>: with the exit code of
    /// its annotation <see cref="ExitCodeAnnotation"/> (default 0), so Succeeded, or Failed for a non-zero code.
    /// </summary>
    private void StartCompletion(JsonObject pod, string key, CancellationToken token)
    {
        var uid = pod.Str("metadata", "uid") ?? "";
        if (!completing.TryAdd(uid, 0))
            return;
        _ = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(options.RunDuration, clock, token).ConfigureAwait(false);
                var slash = key.IndexOf('/');
                var current = pods.Get(key[..slash], key[(slash + 1)..]);
                if (current is null || (current.Str("metadata", "uid") ?? "") != uid || current.IsDeleting())
                    return;
                var exitCode = int.TryParse(current.Str("metadata", "annotations", ExitCodeAnnotation), out var code) ? code : 0;
                var now = Json.Timestamp(clock.GetUtcNow());
                var updated = (JsonObject)current.DeepClone();
                var status = (JsonObject)updated["status"]!;
                status["phase"] = exitCode == 0 ? "Succeeded" : "Failed";
                foreach (var container in (status["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    var started = container.Str("state", "running", "startedAt") ?? now;
                    container["ready"] = false;
                    container["started"] = false;
                    container["state"] = new JsonObject
                    {
                        ["terminated"] = new JsonObject
                        {
                            ["exitCode"] = exitCode,
                            ["reason"] = exitCode == 0 ? "Completed" : "Error",
                            ["startedAt"] = started,
                            ["finishedAt"] = now,
                            ["containerID"] = container["containerID"]?.DeepClone(),
                        },
                    };
                }
                foreach (var condition in (status["conditions"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    if (condition.Str("type") is "Ready" or "ContainersReady")
                    {
                        condition["status"] = "False";
                        condition["reason"] = "PodCompleted";
                        condition["lastTransitionTime"] = now;
                    }
                }
                await client.UpdateAsync(ApiResource.Pods, updated, subresource: "status", token: token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
            {
                logger.LogDebug(e, "completing {Pod} failed; retrying", key);
                completing.TryRemove(uid, out _);
                if (pods.Get(key[..key.IndexOf('/')], key[(key.IndexOf('/') + 1)..]) is { } again)
                    EnqueuePod(again);
            }
            catch (OperationCanceledException)
            {
            }
        }, CancellationToken.None);
    }

    private static void SetTrue(JsonArray conditions, string type, string now)
    {
        var condition = conditions.OfType<JsonObject>().FirstOrDefault(c => (c.Str("type") ?? "") == type);
        if (condition is null)
        {
            condition = new JsonObject { ["type"] = type };
            conditions.Add(condition);
        }
        if (condition.Str("status") != "True")
            condition["lastTransitionTime"] = now;
        condition["status"] = "True";
        condition["lastProbeTime"] = null;
        condition.Remove("reason");
        condition.Remove("message");
    }

    private static string QosClass(JsonObject pod)
    {
        var any = pod.Items("spec", "containers")
            .Any(c => c.Obj("resources", "requests") is { Count: > 0 } || c.Obj("resources", "limits") is { Count: > 0 });
        return any ? "Burstable" : "BestEffort";
    }

    private static string Hash(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
}
