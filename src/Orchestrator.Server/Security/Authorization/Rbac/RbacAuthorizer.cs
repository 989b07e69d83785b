using System.Text.Json.Nodes;
using Orchestrator.Api.Registry;
using Orchestrator.Server.Resources;
using Orchestrator.Storage.Replication;

namespace Orchestrator.Server.Security.Authorization.Rbac;

/// <summary>
/// RBAC from this replica's own committed roles and bindings: the policy is rebuilt on every committed change under
/// rbac.authorization.k8s.io (a local watch, no round trip per request). A request the policy denies is checked once
/// more after a read barrier, so a binding just made through another replica counts here at once.
/// </summary>
public sealed class RbacAuthorizer(ResourceStores stores, ReplicatedStore replica, TimeProvider clock, ILogger<RbacAuthorizer> logger)
    : BackgroundService, IAuthorizer
{
    private const string Prefix = $"/registry/{BuiltInResources.Rbac}/";

    private readonly SemaphoreSlim loading = new(1, 1);
    private RbacPolicy policy = RbacPolicy.Empty;
    private bool loaded;

    public RbacPolicy Policy => Volatile.Read(ref policy);

    public async ValueTask<AuthorizationResult> AuthorizeAsync(AuthorizationAttributes attributes, CancellationToken cancellationToken)
    {
        if (!Volatile.Read(ref loaded))
            await LoadAsync(cancellationToken);
        var (allowed, _) = Policy.Authorize(attributes);
        if (allowed)
            return AuthorizationResult.Allowed();
        await CatchUpAsync(cancellationToken);
        (allowed, var reason) = Policy.Authorize(attributes);
        return allowed ? AuthorizationResult.Allowed() : AuthorizationResult.NoOpinion(reason);
    }

    /// <summary>The policy as committed now (after a read barrier), for a denial or a rules review.</summary>
    public async Task<RbacPolicy> CurrentAsync(CancellationToken token)
    {
        await CatchUpAsync(token);
        return Policy;
    }

    private async Task CatchUpAsync(CancellationToken token)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(token);
        deadline.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            await replica.ReadBarrierAsync(deadline.Token);
            await LoadAsync(deadline.Token);
        }
        catch (Exception e) when (e is NoLeaderException or OperationCanceledException && !token.IsCancellationRequested)
        {
            // Without a leader the replica decides from what it has, as every local read does.
            logger.LogDebug("Could not catch up on RBAC: {Message}", e.Message);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var revision = await LoadAsync(stoppingToken);
                await foreach (var _ in stores.Objects.WatchAsync(Prefix, revision, TimeSpan.FromSeconds(5), stoppingToken))
                    await LoadAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogDebug("RBAC policy reload failed ({Message}); retrying", e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(500), clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Rebuilds the policy from the local store; returns the revision it reflects.</summary>
    private async Task<long> LoadAsync(CancellationToken token)
    {
        await loading.WaitAsync(token);
        try
        {
            var (clusterRoles, revision) = await ListAsync("clusterroles", token);
            var (roles, _) = await ListAsync("roles", token);
            var (clusterRoleBindings, _) = await ListAsync("clusterrolebindings", token);
            var (roleBindings, _) = await ListAsync("rolebindings", token);
            Volatile.Write(ref policy, new RbacPolicy(clusterRoles, roles, clusterRoleBindings, roleBindings));
            Volatile.Write(ref loaded, true);
            return revision;
        }
        finally
        {
            loading.Release();
        }
    }

    private async Task<(List<JsonObject> Items, long Revision)> ListAsync(string plural, CancellationToken token)
    {
        var (items, revision, _) = await stores.For(BuiltInResources.Rbac, plural).ListAsync(null, ListOptions.Everything with { ResourceVersion = "0" }, token);
        return (items, revision);
    }
}
