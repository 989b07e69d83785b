using System.Globalization;
using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;
using Orchestrator.Api.Registry;
using Orchestrator.Server.Resources;
using Orchestrator.Server.Resources.Strategies;

namespace Orchestrator.Server.Hosting;

/// <summary>
/// Makes the namespaces every cluster starts with (default, kube-system, kube-public, kube-node-lease).
/// Every replica tries; create-if-absent makes that safe, and it retries until a leader takes the writes.
/// </summary>
public sealed class Bootstrap(ObjectStore objects, ResourceRegistry registry, TimeProvider clock, ILogger<Bootstrap> logger) : BackgroundService
{
    public static readonly string[] Namespaces = ["default", "kube-system", "kube-public", "kube-node-lease"];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var resource = registry.Find("", "v1", "namespaces")!;
        var strategy = new NamespaceStrategy();
        foreach (var name in Namespaces)
        {
            var key = ObjectStore.Key(resource, null, name);
            for (var attempt = 0; !stoppingToken.IsCancellationRequested; attempt++)
            {
                try
                {
                    if (await objects.GetAsync(key, local: false, stoppingToken) is not null)
                        break;
                    var obj = new JsonObject
                    {
                        ["apiVersion"] = "v1",
                        ["kind"] = "Namespace",
                        ["metadata"] = new JsonObject
                        {
                            ["name"] = name,
                            ["uid"] = Guid.NewGuid().ToString(),
                            ["creationTimestamp"] = clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                        },
                    };
                    strategy.ApplyDefaults(obj);
                    strategy.PrepareForCreate(obj);
                    await objects.CreateAsync(resource.GroupResource, key, obj, stoppingToken);
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
