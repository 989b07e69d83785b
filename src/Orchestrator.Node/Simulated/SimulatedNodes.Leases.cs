using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Orchestrator.Client;

namespace Orchestrator.Node.Simulated;

// Heartbeats: every live node renews its Lease once per LeaseRenewInterval, the renewals of all nodes
// spread evenly over the interval so N nodes make a steady N / interval writes per second, not bursts.
public sealed partial class SimulatedNodes
{
    private async Task CreateLeaseAsync(SimulatedNode node, string nodeUid, CancellationToken token)
    {
        try
        {
            leases[node.Name] = await client.CreateAsync(ApiResource.Leases, NodeManifests.LeaseNamespace,
                NodeManifests.Lease(node, nodeUid, options, clock.GetUtcNow()), token: token).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.Code == 409)
        {
            leases[node.Name] = await client.GetAsync(ApiResource.Leases, NodeManifests.LeaseNamespace, node.Name, token).ConfigureAwait(false);
        }
    }

    private async Task RenewLeasesAsync(CancellationToken token)
    {
        var all = nodes.Values.ToArray();
        if (all.Length == 0)
            return;
        // Tick often enough that each tick renews a small batch; never faster than every 10 ms.
        var tick = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(10).Ticks, options.LeaseRenewInterval.Ticks / Math.Min(all.Length, 100)));
        var perTick = Math.Max(1, (int)Math.Ceiling(all.Length * (tick / options.LeaseRenewInterval)));
        var next = 0;
        using var timer = new PeriodicTimer(tick, clock);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = token };
        try
        {
            while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
            {
                var batch = new List<SimulatedNode>(perTick);
                for (var i = 0; i < perTick; i++, next = (next + 1) % all.Length)
                {
                    if (all[next].Alive)
                        batch.Add(all[next]);
                }
                await Parallel.ForEachAsync(batch, parallel, (node, ct) => new ValueTask(RenewAsync(node, ct))).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    private async Task RenewAsync(SimulatedNode node, CancellationToken token)
    {
        try
        {
            if (!leases.TryGetValue(node.Name, out var lease))
                lease = await client.GetAsync(ApiResource.Leases, NodeManifests.LeaseNamespace, node.Name, token).ConfigureAwait(false);
            var renewed = (JsonObject)lease.DeepClone();
            renewed["spec"]!["renewTime"] = NodeManifests.MicroTime(clock.GetUtcNow());
            renewed["spec"]!["holderIdentity"] = node.Name;
            // The resourceVersion we hold is the precondition; on conflict read it afresh next time.
            leases[node.Name] = await client.UpdateAsync(ApiResource.Leases, renewed, token: token).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.Code == 409)
        {
            leases.TryRemove(node.Name, out _);
        }
        catch (KubeApiException e) when (e.Code == 404)
        {
            leases.TryRemove(node.Name, out _);
            if (nodeInformer.Get(null, node.Name) is { } registered)
                await CreateLeaseAsync(node, registered.Str("metadata", "uid") ?? "", token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
        {
            logger.LogDebug(e, "lease renewal of {Node} failed", node.Name);
        }
    }
}
