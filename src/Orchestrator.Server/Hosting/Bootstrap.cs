using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;
using Orchestrator.Server.Resources;

namespace Orchestrator.Server.Hosting;

/// <summary>
/// Makes what every cluster starts with, through each resource's own store as any create: the namespaces default,
/// kube-system, kube-public and kube-node-lease, and the default RBAC policy (<see cref="Security.Authorization.Rbac.DefaultPolicy"/>).
/// Every replica tries; create-if-absent makes that safe, and it retries until a leader takes the writes. Objects a
/// user changed are left as they are. Until every object is there the replica is not ready (/readyz), as kube-apiserver's
/// bootstrap post-start hooks hold readiness, so no client (a node registering its Lease) races the namespaces.
/// </summary>
public sealed class Bootstrap(ResourceStores stores, ILogger<Bootstrap> logger) : BackgroundService
{
    public static readonly string[] Namespaces = ["default", "kube-system", "kube-public", "kube-node-lease"];

    private volatile bool completed;

    /// <summary>Whether every bootstrap object exists (checked or made by this replica since it started).</summary>
    public bool Completed => completed;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var objects = Namespaces.Select(name => ("", "namespaces", new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } }))
            .Concat(Security.Authorization.Rbac.DefaultPolicy.Objects().Select(o => (Api.Registry.BuiltInResources.Rbac, o.Plural, o.Object)));
        foreach (var (group, plural, obj) in objects)
        {
            var store = stores.For(group, plural);
            var name = obj.Name();
            for (var attempt = 0; !stoppingToken.IsCancellationRequested; attempt++)
            {
                try
                {
                    if (await store.FindAsync(null, name, local: false, stoppingToken) is not null)
                        break;
                    await store.CreateAsync(null, null, obj.Copy(), WriteContext.System("orchestrator-bootstrap"), stoppingToken);
                    break;
                }
                catch (ApiException e) when (e.Reason == StatusReasons.AlreadyExists)
                {
                    break;
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogDebug("Creating {Plural} {Name} failed ({Message}); retrying", plural, name, e.Message);
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(100 * (attempt + 1), 1000)), stoppingToken);
                }
            }
        }
        completed = !stoppingToken.IsCancellationRequested;
    }
}
