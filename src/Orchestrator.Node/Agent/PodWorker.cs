using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Orchestrator.Client;

namespace Orchestrator.Node.Agent;

/// <summary>
/// One pod's kubelet loop, like kubelet's pod workers: a single task owns the pod's sandbox and containers,
/// woken by informer updates, container exits and timers (back-off, probes, resync), so no two syncs of a
/// pod ever race. It ends after the pod is torn down and deleted (or the agent stops).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed partial class PodWorker
{
    private readonly PodWorkerContext context;
    private readonly Channel<bool> wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly List<ContainerSlot> slots;
    private JsonObject latest;
    private volatile bool removed;
    private PodSandbox? sandbox;
    private DateTimeOffset? startTime;
    private string lastPosted = "";

    public PodWorker(PodWorkerContext context, JsonObject pod)
    {
        this.context = context;
        latest = pod;
        Uid = JsonFields.Str(pod, "metadata", "uid");
        Key = JsonFields.Str(pod, "metadata", "namespace") + "/" + JsonFields.Name(pod);
        slots = JsonFields.Objects(pod, "spec", "containers")
            .Select(c => new ContainerSlot(JsonFields.Str(c, "name"), JsonFields.Str(c, "image"))).ToList();
        Adopt(pod);
    }

    public string Uid { get; }

    public string Key { get; }

    /// <summary>The informer saw a newer version of the pod.</summary>
    public void Update(JsonObject pod)
    {
        Volatile.Write(ref latest, pod);
        Wake();
    }

    /// <summary>The pod is gone from the API (deleted with grace 0 or by someone else): clean up without a DELETE.</summary>
    public void Remove()
    {
        removed = true;
        Wake();
    }

    private void Wake() => wake.Writer.TryWrite(true);

    /// <summary>Runs until the pod is cleaned up, or <paramref name="token"/> (agent stop) fires: containers are then left running.</summary>
    public async Task RunAsync(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            var pod = Volatile.Read(ref latest);
            try
            {
                if (removed || JsonFields.IsDeleting(pod))
                {
                    if (await TerminateAsync(pod, deleteFromApi: !removed, token).ConfigureAwait(false))
                        return;
                }
                else
                {
                    await SyncAsync(pod, token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                context.Logger.LogWarning(e, "sync of pod {Pod} failed; retrying", Key);
            }
            await WaitAsync(token).ConfigureAwait(false);
        }
    }

    /// <summary>Sleeps until woken or the next timer: the earliest back-off end, probe or probe kill, or the resync interval.</summary>
    private async Task WaitAsync(CancellationToken token)
    {
        var now = context.Clock.GetUtcNow();
        var next = now + context.Options.PodResyncInterval;
        foreach (var slot in slots)
        {
            var due = slot.IsRunning ? NextProbeDue(slot) : slot.Done ? DateTimeOffset.MaxValue : slot.NextStart;
            if (due > now && due < next)
                next = due;
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
        timeout.CancelAfter(next - now < TimeSpan.FromMilliseconds(10) ? TimeSpan.FromMilliseconds(10) : next - now);
        try
        {
            await wake.Reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false);
            wake.Reader.TryRead(out _);
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested)
        {
        }
    }

    /// <summary>After an agent restart, carry restart counts over from the status the pod already has.</summary>
    private void Adopt(JsonObject pod)
    {
        startTime = JsonFields.Time(pod, "status", "startTime");
        foreach (var status in JsonFields.Objects(pod, "status", "containerStatuses"))
        {
            var slot = slots.FirstOrDefault(s => s.Name == JsonFields.Str(status, "name"));
            if (slot is null)
                continue;
            slot.RestartCount = (int)(JsonFields.IntOrNull(status, "restartCount") ?? 0);
            slot.Attempts = slot.RestartCount + 1;
            if (JsonFields.Obj(status, "state", "terminated") is { } terminated)
                slot.LastTermination = (JsonObject)terminated.DeepClone();
            else if (JsonFields.Obj(status, "state", "running") is { } running)
            {
                // Its process died with the previous agent (orphans are removed at start): report it as kubelet does
                // for a lost container, then let the restart policy decide.
                var now = context.Clock.GetUtcNow();
                slot.LastTermination = new JsonObject
                {
                    ["exitCode"] = 137,
                    ["reason"] = "ContainerStatusUnknown",
                    ["message"] = "The container could not be located after the node agent restarted",
                    ["startedAt"] = JsonFields.StrOrNull(running, "startedAt") ?? JsonFields.Timestamp(now),
                    ["finishedAt"] = JsonFields.Timestamp(now),
                    ["containerID"] = status["containerID"]?.DeepClone(),
                };
                slot.LastRuntimeId = JsonFields.StrOrNull(status, "containerID")?.Replace("runc://", "", StringComparison.Ordinal);
                OnStopped(pod, slot, 137, TimeSpan.Zero);
            }
        }
        // A finished pod is not run again.
        if (JsonFields.Str(pod, "status", "phase") is "Succeeded" or "Failed")
        {
            foreach (var slot in slots)
                slot.Done = true;
        }
    }
}
