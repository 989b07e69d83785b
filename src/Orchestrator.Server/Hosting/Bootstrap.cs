using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;
using Orchestrator.Server.Resources;

namespace Orchestrator.Server.Hosting;

/// <summary>
/// Makes the namespaces every cluster starts with (default, kube-system, kube-public, kube-node-lease) through the
/// namespaces' own store, as any create. Every replica tries; create-if-absent makes that safe, and it retries until a
/// leader takes the writes.
/// </summary>
public sealed class Bootstrap(ResourceStores stores, ILogger<Bootstrap> logger) : BackgroundService
{
    public static readonly string[] Namespaces = ["default", "kube-system", "kube-public", "kube-node-lease"];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var namespaces = stores.For("", "namespaces");
        foreach (var name in Namespaces)
        {
            for (var attempt = 0; !stoppingToken.IsCancellationRequested; attempt++)
            {
                try
                {
                    if (await namespaces.FindAsync(null, name, local: false, stoppingToken) is not null)
                        break;
                    var obj = new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } };
                    await namespaces.CreateAsync(null, null, obj, WriteContext.System("orchestrator-bootstrap"), stoppingToken);
                    break;
                }
                catch (ApiException e) when (e.Reason == StatusReasons.AlreadyExists)
                {
                    break;
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogDebug("Creating namespace {Name} failed ({Message}); retrying", name, e.Message);
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(100 * (attempt + 1), 1000)), stoppingToken);
                }
            }
        }
    }
}
