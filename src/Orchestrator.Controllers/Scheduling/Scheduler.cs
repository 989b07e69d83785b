using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Orchestrator.Client;
using Orchestrator.Client.Events;
using Orchestrator.Client.Informers;
using Orchestrator.Controllers.Runtime;

namespace Orchestrator.Controllers.Scheduling;

/// <summary>
/// The default scheduler: takes unscheduled pods (schedulerName default-scheduler) one at a time, picks a
/// node from an incrementally kept view of the cluster, assumes the pod there at once and binds it
/// through pods/binding in the background, with up to <see cref="SchedulerOptions.BindingsInFlight"/>
/// bindings in flight. Decisions are sequential (so they never double-book) and cheap; the network is
/// concurrent. A pod that fits nowhere gets PodScheduled=False/Unschedulable and a FailedScheduling event,
/// and waits in <see cref="SchedulingQueue"/> until a node or pod change could make it fit (at most 5 minutes).
/// </summary>
public sealed partial class Scheduler(SchedulerOptions options) : IController
{
    public const string DefaultSchedulerName = "default-scheduler";

    private readonly SchedulerCache cache = new();
    private readonly ConcurrentDictionary<Task, byte> inFlight = new();
    private SchedulingQueue queue = null!;
    private Informer pods = null!;
    private EventRecorder events = null!;
    private ILogger logger = null!;

    public string Name => "scheduler";

    /// <summary>Pods bound by this instance (for diagnostics and benchmarks).</summary>
    public long Bound => Interlocked.Read(ref bound);

    private long bound;

    public void Register(ControllerContext context)
    {
        queue = new SchedulingQueue(context.Clock, options);
        logger = context.LoggerFactory.CreateLogger<Scheduler>();
        events = new EventRecorder(context.Client, DefaultSchedulerName, context.Clock, logger);
        pods = context.Informers.For(ApiResource.Pods);
        context.Informers.Subscribe(ApiResource.Nodes, OnNode);
        context.Informers.Subscribe(ApiResource.Pods, OnPod);
    }

    public async Task RunAsync(ControllerContext context, CancellationToken token)
    {
        var recorder = events.RunAsync(2, token);
        var flush = queue.RunAsync(token);
        try
        {
            await ScheduleLoopAsync(context, token).ConfigureAwait(false);
        }
        finally
        {
            // Bindings already sent finish or fail on their own; wait so nothing outlives the term.
            await Task.WhenAll(inFlight.Keys).ConfigureAwait(false);
            await Task.WhenAll(recorder, flush).ConfigureAwait(false);
        }
    }

    private async Task ScheduleLoopAsync(ControllerContext context, CancellationToken token)
    {
        using var slots = new SemaphoreSlim(options.BindingsInFlight);
        var picker = new NodePicker(new Random());
        while (!token.IsCancellationRequested)
        {
            string key;
            try
            {
                await slots.WaitAsync(token).ConfigureAwait(false);
                key = await queue.TakeAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var (ns, name) = QueueController.SplitKey(key);
            var pod = pods.Get(ns, name);
            if (pod is null || !IsPending(pod))
            {
                queue.Delete(key);
                slots.Release();
                continue;
            }
            var requirements = PodRequirements.Of(pod);
            PlacementDecision decision;
            lock (cache.Gate)
            {
                if (cache.Contains(key))
                {
                    // Assumed by an earlier binding still in flight (of a namesake: this pod's own is settled
                    // before it can be handed out again); try again once that one is settled.
                    queue.AddBackoff(key);
                    slots.Release();
                    continue;
                }
                decision = picker.Pick(requirements, cache);
                if (decision.Node is not null)
                    cache.Assume(requirements, decision.Node);
            }
            if (decision.Node is { } node)
            {
                Track(BindAsync(context, pod, requirements, node.Name, slots, token));
            }
            else
            {
                queue.AddUnschedulable(key);
                // The report holds a slot like a binding: unbounded, thousands of pending status writes had queued up as
                // tasks (2+ GB on the replica hosting the scheduler with 50k unschedulable pods).
                Track(ReportUnschedulableAsync(context, pod, decision.FailureMessage!, slots, token));
            }
        }
    }

    private void Track(Task task)
    {
        inFlight[task] = 0;
        _ = task.ContinueWith(t => inFlight.TryRemove(t, out _), TaskScheduler.Default);
    }

    private void OnNode(InformerEvent change)
    {
        lock (cache.Gate)
        {
            if (change.Type == InformerEventType.Deleted)
                cache.RemoveNode(change.Object.Name());
            else
                cache.SetNode(change.Object);
        }
        if (change.Type != InformerEventType.Deleted && NodeChanges.MayMakePodsFit(change.Previous, change.Object))
            queue.MoveAllToActiveOrBackoff();
    }

    private void OnPod(InformerEvent change)
    {
        var pod = change.Object;
        var key = QueueController.KeyOf(pod);
        var nodeName = pod.Str("spec", "nodeName");
        if (change.Type == InformerEventType.Deleted || (!string.IsNullOrEmpty(nodeName) && IsTerminal(pod)))
        {
            queue.Delete(key);
            bool freed;
            lock (cache.Gate)
                freed = cache.RemovePod(key);
            if (freed)
                queue.MoveAllToActiveOrBackoff();
            return;
        }
        if (!string.IsNullOrEmpty(nodeName))
        {
            queue.Delete(key);
            lock (cache.Gate)
                cache.SetBoundPod(key, nodeName, ResourceAmounts.Requests(pod), PodRequirements.OwnerOf(pod));
            return;
        }
        if (!IsPending(pod))
        {
            queue.Delete(key);
            return;
        }
        // Our own status write on an unschedulable pod must not make it spin: only a changed spec
        // (or labels, which decide its owner group) sends it back before the cluster changes.
        if (change.Previous is { } previous && !SameSchedulingInput(previous, pod))
            queue.Update(key);
        else
            queue.Add(key);
    }

    /// <summary>Unbound, ours, not being deleted.</summary>
    private static bool IsPending(JsonObject pod) =>
        string.IsNullOrEmpty(pod.Str("spec", "nodeName"))
        && (pod.Str("spec", "schedulerName") ?? DefaultSchedulerName) == DefaultSchedulerName
        && !pod.IsDeleting()
        && !IsTerminal(pod);

    private static bool IsTerminal(JsonObject pod) => pod.Str("status", "phase") is "Succeeded" or "Failed";

    private static bool SameSchedulingInput(JsonObject a, JsonObject b) =>
        JsonNode.DeepEquals(a["spec"], b["spec"]) && JsonNode.DeepEquals(a["metadata"]?["labels"], b["metadata"]?["labels"]);
}
