using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Orchestrator.Client;
using Orchestrator.Client.Informers;

namespace Orchestrator.Node.Simulated;

// A live kubelet keeps its node Ready: when the node lifecycle controller marked it Unknown (the node was
// "down"), or the node was deleted, the node worker posts Ready again or re-registers, as kubelet does.
public sealed partial class SimulatedNodes
{
    private readonly Channel<string> nodeRepairs = Channel.CreateUnbounded<string>();

    private ValueTask OnNodeAsync(InformerEvent change, CancellationToken token)
    {
        var name = change.Object.Name();
        if (nodes.TryGetValue(name, out var node) && node.Alive
            && (change.Type == InformerEventType.Deleted || !IsReady(change.Object)))
            nodeRepairs.Writer.TryWrite(name);
        return ValueTask.CompletedTask;
    }

    private static bool IsReady(JsonObject node) => node.Condition("Ready").Str("status") == "True";

    private async Task RunNodeStatusWorkerAsync(CancellationToken token)
    {
        try
        {
            await foreach (var name in nodeRepairs.Reader.ReadAllAsync(token).ConfigureAwait(false))
            {
                var node = nodes[name];
                if (!node.Alive)
                    continue;
                try
                {
                    await RepairAsync(node, token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    logger.LogDebug(e, "status of {Node} not repaired; retrying", name);
                    _ = RetryLaterAsync(name, token);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    private async Task RepairAsync(SimulatedNode node, CancellationToken token)
    {
        var current = nodeInformer.Get(null, node.Name);
        if (current is null)
        {
            var uid = await RegisterNodeAsync(node, token).ConfigureAwait(false);
            leases.TryRemove(node.Name, out _);
            await CreateLeaseAsync(node, uid, token).ConfigureAwait(false);
            return;
        }
        if (IsReady(current))
            return;
        await RenewAsync(node, token).ConfigureAwait(false);
        var updated = (JsonObject)current.DeepClone();
        var status = updated["status"] as JsonObject ?? [];
        updated["status"] = status;
        status["conditions"] = NodeManifests.Conditions(clock.GetUtcNow());
        try
        {
            // With the cached resourceVersion: if the node changed meanwhile, the informer brings it back here.
            await client.UpdateAsync(ApiResource.Nodes, updated, subresource: "status", token: token).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.Code == 409)
        {
            _ = RetryLaterAsync(node.Name, token);
        }
    }

    private async Task RetryLaterAsync(string name, CancellationToken token)
    {
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), clock, token).ConfigureAwait(false);
            nodeRepairs.Writer.TryWrite(name);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
