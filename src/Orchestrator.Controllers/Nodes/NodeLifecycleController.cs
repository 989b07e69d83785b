using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Orchestrator.Client;
using Orchestrator.Client.Informers;
using Orchestrator.Controllers.Runtime;
using Orchestrator.Controllers.Scheduling;

namespace Orchestrator.Controllers.Nodes;

/// <summary>
/// Watches node Leases in kube-node-lease. A node not heard from within NodeMonitorGracePeriod gets its
/// conditions set to Unknown (NodeStatusUnknown) and the node.kubernetes.io/unreachable taint (NoSchedule
/// and NoExecute); its pods that do not tolerate that taint are deleted once their tolerationSeconds have
/// passed since the taint was added (DefaultTolerationSeconds when they carry no toleration for it). When
/// the lease is renewed again the taints go; the node's kubelet reports Ready itself.
/// </summary>
public sealed partial class NodeLifecycleController : IController
{
    public const string LeaseNamespace = "kube-node-lease";
    public const string UnknownReason = "NodeStatusUnknown";
    public const string UnknownMessage = "Kubelet stopped posting node status.";

    private readonly PodsByNode podsByNode = new();
    private NodeHeartbeats heartbeats = null!;
    private Informer nodes = null!;
    private Informer pods = null!;
    private ILogger logger = null!;

    public string Name => "node-lifecycle";

    public void Register(ControllerContext context)
    {
        heartbeats = new NodeHeartbeats(context.Clock);
        logger = context.LoggerFactory.CreateLogger<NodeLifecycleController>();
        nodes = context.Informers.For(ApiResource.Nodes);
        pods = context.Informers.For(ApiResource.Pods);
        context.Informers.Subscribe(ApiResource.Nodes, change =>
        {
            if (change.Type == InformerEventType.Deleted)
                heartbeats.Forget(change.Object.Name());
            else
                heartbeats.Seen(change.Object.Name());
        });
        context.Informers.Subscribe(ApiResource.Leases, change =>
        {
            if (change.Type != InformerEventType.Deleted && change.Object.Namespace() == LeaseNamespace)
                heartbeats.Observe(change.Object.Name(), change.Object.Str("spec", "renewTime") ?? "");
        });
        context.Informers.Subscribe(ApiResource.Pods, podsByNode.OnPod);
    }

    public async Task RunAsync(ControllerContext context, CancellationToken token)
    {
        // kube checks every 5 s against a 40 s grace; keep the same ratio for short test timings.
        var period = TimeSpan.FromTicks(Math.Clamp(context.Settings.NodeMonitorGracePeriod.Ticks / 8, TimeSpan.FromMilliseconds(100).Ticks, TimeSpan.FromSeconds(5).Ticks));
        using var timer = new PeriodicTimer(period, context.Clock);
        try
        {
            while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
            {
                foreach (var node in nodes.List())
                {
                    try
                    {
                        await MonitorAsync(context, node, token).ConfigureAwait(false);
                    }
                    catch (KubeApiException e) when (e.Code is 404 or 409)
                    {
                        // Changed meanwhile; the next tick looks at the newer state.
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
                    {
                        logger.LogWarning(e, "monitoring node {Node} failed", node.Name());
                    }
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    private async Task MonitorAsync(ControllerContext context, JsonObject node, CancellationToken token)
    {
        var name = node.Name();
        if (heartbeats.Silence(name) <= context.Settings.NodeMonitorGracePeriod)
        {
            if (HasUnreachableTaint(node))
                await UpdateTaintsAsync(context, node, add: false, token).ConfigureAwait(false);
            return;
        }
        if (node.Condition("Ready").Str("status") != "Unknown")
        {
            await MarkUnknownAsync(context, node, token).ConfigureAwait(false);
            return; // the taints follow on the next tick, from the updated node
        }
        if (!HasUnreachableTaint(node))
        {
            await UpdateTaintsAsync(context, node, add: true, token).ConfigureAwait(false);
            return;
        }
        await EvictAsync(context, node, token).ConfigureAwait(false);
    }

    private static bool HasUnreachableTaint(JsonObject node) =>
        Taint.Of(node).Any(t => t.Key == Taint.Unreachable);
}
