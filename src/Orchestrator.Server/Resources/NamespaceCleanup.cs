using System.Globalization;
using Orchestrator.Api.Registry;

namespace Orchestrator.Server.Resources;

/// <summary>
/// Empties a namespace marked for deletion, then removes it. Runs in the replica that took the delete.
/// If that replica stops first, the namespace stays Terminating until it is deleted again.
/// </summary>
public sealed class NamespaceCleanup(ObjectStore objects, ResourceRegistry registry, ILogger<NamespaceCleanup> logger, IHostApplicationLifetime lifetime)
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(5);

    public void Start(string ns) => _ = RunAsync(ns, lifetime.ApplicationStopping);

    private async Task RunAsync(string ns, CancellationToken stopping)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        deadline.CancelAfter(GiveUpAfter);
        var token = deadline.Token;
        try
        {
            while (true)
            {
                var remaining = 0;
                foreach (var resource in registry.Snapshot.Resources.Where(r => r.Namespaced))
                {
                    var (items, _, _) = await objects.ListAsync(ObjectStore.Prefix(resource, ns), null, 0, local: false, token);
                    foreach (var (key, obj) in items)
                    {
                        remaining++;
                        if (obj.Obj("metadata")?["deletionTimestamp"] is not null)
                            continue; // finalizers or a node are finishing it
                        var revision = long.Parse(obj.Str("metadata", "resourceVersion")!, CultureInfo.InvariantCulture);
                        try
                        {
                            if (obj.Arr("metadata", "finalizers") is { Count: > 0 })
                            {
                                // Finalizers are honoured: mark it, its finalizers' owners remove it.
                                obj.Metadata()["deletionTimestamp"] = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
                                obj.Metadata()["deletionGracePeriodSeconds"] = 0;
                                await objects.UpdateAsync(resource.GroupResource, key, obj, revision, token);
                            }
                            else
                            {
                                await objects.DeleteAsync(resource.GroupResource, key, obj.Name(), revision, token);
                            }
                        }
                        catch (Api.Errors.ApiException)
                        {
                            // Changed or gone meanwhile; the next pass sees it again.
                        }
                    }
                }
                if (remaining == 0)
                    break;
                await Task.Delay(TimeSpan.FromMilliseconds(500), token);
            }
            var nsResource = registry.Snapshot.Find("", "v1", "namespaces")!;
            var nsKey = ObjectStore.Key(nsResource, null, ns);
            if (await objects.GetAsync(nsKey, local: false, token) is { } namespaceObject)
            {
                var revision = long.Parse(namespaceObject.Str("metadata", "resourceVersion")!, CultureInfo.InvariantCulture);
                await objects.DeleteAsync(nsResource.GroupResource, nsKey, ns, revision, token);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogWarning(e, "Cleanup of namespace {Namespace} stopped", ns);
        }
    }
}
