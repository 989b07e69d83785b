using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Orchestrator.Client;
using Orchestrator.Node.Simulated;

namespace Orchestrator.Node.Agent;

// Registration and heartbeats: the Node's status is re-posted (Ready, fresh lastHeartbeatTime) and the Lease
// renewed on their own intervals; a deleted Node or Lease is created again, as kubelet does.
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class NodeAgent
{
    private JsonObject? lease;

    private async Task<string> RegisterAsync(CancellationToken token)
    {
        try
        {
            var created = await client.CreateAsync(ApiResource.Nodes, null, AgentManifests.Node(options, host!, clock.GetUtcNow(), ServerPort), token: token)
                .ConfigureAwait(false);
            return created.Str("metadata", "uid") ?? "";
        }
        catch (KubeApiException e) when (e.Code == 409)
        {
            // Registered by an earlier run: take it over and post fresh status at once.
            return await PostStatusAsync(token).ConfigureAwait(false);
        }
    }

    /// <summary>Replaces the Node's status with this agent's (Ready, capacity, addresses); returns the node's uid.</summary>
    private async Task<string> PostStatusAsync(CancellationToken token)
    {
        var node = await client.GetAsync(ApiResource.Nodes, null, options.NodeName, token).ConfigureAwait(false);
        var status = AgentManifests.Status(options, host!, clock.GetUtcNow(), ServerPort);
        // Keep lastTransitionTime of conditions whose status did not change.
        foreach (var condition in (status["conditions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var old = node.Condition(condition.Str("type") ?? "");
            if (old is not null && (old.Str("status") ?? "") == (condition.Str("status") ?? "") && old.Str("lastTransitionTime") is { } since)
                condition["lastTransitionTime"] = since;
        }
        var updated = (JsonObject)node.DeepClone();
        updated["status"] = status;
        await client.UpdateAsync(ApiResource.Nodes, updated, subresource: "status", token: token).ConfigureAwait(false);
        return node.Str("metadata", "uid") ?? "";
    }

    private async Task EnsureLeaseAsync(string nodeUid, CancellationToken token)
    {
        try
        {
            lease = await client.CreateAsync(ApiResource.Leases, NodeManifests.LeaseNamespace, AgentManifests.Lease(options, nodeUid, clock.GetUtcNow()), token: token)
                .ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.Code == 409)
        {
            lease = await client.GetAsync(ApiResource.Leases, NodeManifests.LeaseNamespace, options.NodeName, token).ConfigureAwait(false);
            await RenewAsync(token).ConfigureAwait(false);
        }
    }

    private async Task RenewAsync(CancellationToken token)
    {
        lease ??= await client.GetAsync(ApiResource.Leases, NodeManifests.LeaseNamespace, options.NodeName, token).ConfigureAwait(false);
        var renewed = (JsonObject)lease.DeepClone();
        renewed["spec"]!["renewTime"] = NodeManifests.MicroTime(clock.GetUtcNow());
        renewed["spec"]!["holderIdentity"] = options.NodeName;
        renewed["spec"]!["leaseDurationSeconds"] = options.LeaseDurationSeconds;
        lease = await client.UpdateAsync(ApiResource.Leases, renewed, token: token).ConfigureAwait(false);
    }

    private Task RenewLeaseLoopAsync(CancellationToken token) => EveryAsync(options.LeaseRenewInterval, "lease renewal", async ct =>
    {
        try
        {
            await RenewAsync(ct).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.Code == 409)
        {
            lease = null;
        }
        catch (KubeApiException e) when (e.Code == 404)
        {
            lease = null;
            var node = await client.GetAsync(ApiResource.Nodes, null, options.NodeName, ct).ConfigureAwait(false);
            await EnsureLeaseAsync(node.Str("metadata", "uid") ?? "", ct).ConfigureAwait(false);
        }
    }, token);

    private Task StatusLoopAsync(CancellationToken token) => EveryAsync(options.StatusUpdateInterval, "node status", async ct =>
    {
        try
        {
            await PostStatusAsync(ct).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.Code == 404)
        {
            var uid = await RegisterAsync(ct).ConfigureAwait(false);
            lease = null;
            await EnsureLeaseAsync(uid, ct).ConfigureAwait(false);
        }
    }, token);

    /// <summary>Runs <paramref name="action"/> every <paramref name="interval"/>; a failed round is logged and retried next tick.</summary>
    private async Task EveryAsync(TimeSpan interval, string what, Func<CancellationToken, Task> action, CancellationToken token)
    {
        using var timer = new PeriodicTimer(interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
            {
                try
                {
                    await action(token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    logger.LogWarning(e, "{What} of {Node} failed; retrying", what, options.NodeName);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }
}
