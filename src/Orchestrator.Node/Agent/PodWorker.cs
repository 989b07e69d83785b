using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Orchestrator.Node.Runtime;

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
    private readonly HashSet<string> adopted = new(StringComparer.Ordinal);
    private JsonObject latest;
    private volatile bool removed;
    private PodSandbox? sandbox;

    /// <summary>The pod's network namespace once its sandbox is set up (port-forward dials into it).</summary>
    internal string? NetworkNamespacePath => sandbox?.NamespacePath;

    private DateTimeOffset? startTime;
    private string lastPosted = "";

    public PodWorker(PodWorkerContext context, JsonObject pod)
    {
        this.context = context;
        latest = pod;
        Uid = pod.Str("metadata", "uid") ?? "";
        Key = (pod.Str("metadata", "namespace") ?? "") + "/" + pod.Name();
        slots = pod.Items("spec", "containers")
            .Select(c => new ContainerSlot(c.Str("name") ?? "", c.Str("image") ?? "")).ToList();
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
                if (removed || pod.IsDeleting())
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

    /// <summary>Containers the runtime adopted after an agent restart that this worker took back (the latest run of each slot).</summary>
    public IReadOnlySet<string> Adopted => adopted;

    /// <summary>
    /// After an agent restart: carry restart counts over from the status the pod already has, and take back each
    /// slot's container the runtime adopted (it kept running under its shim, or exited meanwhile and is reaped by the
    /// next sync with its real exit). A container reported running that the runtime no longer has was lost.
    /// </summary>
    private void Adopt(JsonObject pod)
    {
        startTime = pod.Time("status", "startTime");
        var specs = pod.Items("spec", "containers").ToDictionary(c => c.Str("name") ?? "", StringComparer.Ordinal);
        foreach (var slot in slots)
        {
            var status = pod.Items("status", "containerStatuses").FirstOrDefault(s => (s.Str("name") ?? "") == slot.Name);
            if (status is not null)
            {
                slot.RestartCount = (int)(status.Long("restartCount") ?? 0);
                slot.Attempts = slot.RestartCount + 1;
                if (status.Obj("state", "terminated") is { } terminated)
                    slot.LastTermination = (JsonObject)terminated.DeepClone();
                else if (status.Obj("lastState", "terminated") is { } last)
                    slot.LastTermination = (JsonObject)last.DeepClone();
            }
            if (AdoptContainer(slot, status, specs.GetValueOrDefault(slot.Name)))
                continue;
            if (status is not null && status.Obj("state", "running") is { } running)
            {
                // Its shim and process are gone (orphans are removed at start): report it as kubelet does for a lost
                // container, then let the restart policy decide.
                var now = context.Clock.GetUtcNow();
                slot.LastTermination = new JsonObject
                {
                    ["exitCode"] = 137,
                    ["reason"] = "ContainerStatusUnknown",
                    ["message"] = "The container could not be located after the node agent restarted",
                    ["startedAt"] = running.Str("startedAt") ?? Json.Timestamp(now),
                    ["finishedAt"] = Json.Timestamp(now),
                    ["containerID"] = status["containerID"]?.DeepClone(),
                };
                slot.LastRuntimeId = status.Str("containerID")?.Replace("runc://", "", StringComparison.Ordinal);
                OnStopped(pod, slot, 137, TimeSpan.Zero);
            }
        }
        // A finished pod is not run again.
        if (pod.Str("status", "phase") is "Succeeded" or "Failed")
        {
            foreach (var slot in slots)
                slot.Done = true;
        }
    }

    /// <summary>Takes the slot's latest adopted container ({uid}-{name}-{attempt}) as its current one; false if there is none.</summary>
    private bool AdoptContainer(ContainerSlot slot, JsonObject? status, JsonObject? spec)
    {
        var prefix = $"{Uid}-{slot.Name}-";
        ContainerStatus? container = null;
        var attempt = -1;
        foreach (var candidate in context.Runtime.List())
        {
            if (candidate.PodId == Uid && candidate.Id.StartsWith(prefix, StringComparison.Ordinal)
                && int.TryParse(candidate.Id.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > attempt)
                (container, attempt) = (candidate, n);
        }
        if (container is null)
            return false;
        adopted.Add(container.Id);
        // Attempt n is the slot's (n+1)th start, so restartCount n unless the posted status knew of more.
        slot.Attempts = Math.Max(slot.Attempts, attempt + 1);
        slot.RestartCount = Math.Max(slot.RestartCount, attempt);
        slot.RuntimeId = slot.LastRuntimeId = container.Id;
        slot.StartedAt = container.StartedAt;
        if (spec is not null)
            ResetProbes(spec, slot);
        if (status is not null && status.Str("containerID") == "runc://" + container.Id)
        {
            // The probes' last verdicts, as posted: a ready container stays ready across the agent restart.
            slot.ImageId = status.Str("imageID") ?? "";
            slot.Ready = status["ready"]?.GetValue<bool>() ?? slot.Ready;
            slot.Started = status["started"]?.GetValue<bool>() ?? slot.Started;
        }
        slot.Exit = context.Runtime.WaitAsync(container.Id, CancellationToken.None);
        _ = slot.Exit.ContinueWith(_ => Wake(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return true;
    }
}
