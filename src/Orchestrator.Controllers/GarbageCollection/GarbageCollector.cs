using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Orchestrator.Api.Registry;
using Orchestrator.Client;
using Orchestrator.Client.Informers;
using Orchestrator.Controllers.Runtime;

namespace Orchestrator.Controllers.GarbageCollection;

/// <summary>
/// Deletes objects whose owners (by uid) are gone, and carries out the two deletion policies that need
/// the owner to wait: foreground (owner keeps finalizer foregroundDeletion until its blocking dependents
/// are gone) and orphan (dependents lose their ownerReference, then the owner its finalizer "orphan").
/// Background deletion is the first rule: the owner goes at once, its dependents after.
/// </summary>
public sealed partial class GarbageCollector : QueueController
{
    public const string ForegroundFinalizer = "foregroundDeletion";
    public const string OrphanFinalizer = "orphan";

    private readonly OwnerGraph graph = new();

    // Written by the discovery loop while workers read: concurrent.
    private readonly ConcurrentDictionary<string, ApiResource> resources = [];
    private ResourceDiscovery? discovery;

    public override string Name => "garbage-collector";

    /// <summary>Every built-in kind that can be listed, watched and deleted, except events (never owners, very many).</summary>
    public static IEnumerable<ResourceDefinition> Watched =>
        BuiltInResources.All.Where(d => d.Supports(Verbs.List) && d.Supports(Verbs.Watch) && d.Supports(Verbs.Delete) && d.Kind != "Event");

    protected override void Subscribe(ControllerContext context)
    {
        discovery = new ResourceDiscovery(context.Client, context.Clock, Logger);
        foreach (var definition in Watched)
        {
            var resource = ApiResource.From(definition);
            resources[resource.ToString()] = resource;
            context.Informers.Subscribe(resource, change => OnChange(resource, change));
        }
    }

    private void OnChange(ApiResource resource, InformerEvent change)
    {
        var obj = change.Object;
        if (change.Type == InformerEventType.Deleted)
        {
            graph.Remove(resource, obj);
            foreach (var dependent in graph.DependentsOf(obj.Uid()))
                Queue.Add(dependent.Key);
            QueueOwners(obj);
            return;
        }
        graph.Upsert(resource, obj, change.Previous);
        if (obj.OwnerReferences().Any() || obj.IsDeleting())
            Queue.Add(OwnerGraph.RefOf(resource, obj).Key);
        if (obj.IsDeleting())
            QueueOwners(obj);
    }

    // An owner in foreground deletion waits for its dependents: each of their changes may let it go.
    private void QueueOwners(JsonObject obj)
    {
        foreach (var reference in obj.OwnerReferences())
        {
            if (reference.Str("uid") is { } uid && graph.Find(uid) is { } owner)
                Queue.Add(owner.Key);
        }
    }

    protected override async Task ReconcileAsync(ControllerContext context, string key, CancellationToken token)
    {
        var bar = key.IndexOf('|');
        if (bar < 0 || !resources.TryGetValue(key[..bar], out var resource))
            return;
        var (ns, name) = SplitKey(key[(bar + 1)..]);
        var obj = CacheOf(context, resource)?.Get(string.IsNullOrEmpty(ns) ? null : ns, name);
        if (obj is null)
            return;
        if (obj.IsDeleting())
        {
            var finalizers = obj.Finalizers().ToList();
            if (finalizers.Contains(OrphanFinalizer))
            {
                await OrphanDependentsAsync(context, resource, obj, token).ConfigureAwait(false);
                return;
            }
            if (finalizers.Contains(ForegroundFinalizer))
            {
                await DeleteDependentsFirstAsync(context, resource, obj, token).ConfigureAwait(false);
                return;
            }
        }
        if (obj.OwnerReferences().Any())
            await CollectIfOrphanedAsync(context, resource, obj, token).ConfigureAwait(false);
    }

    /// <summary>PUT of the object without <paramref name="finalizer"/>, with its resourceVersion.</summary>
    private static async Task RemoveFinalizerAsync(ControllerContext context, ApiResource resource, JsonObject obj, string finalizer, CancellationToken token)
    {
        var updated = obj.Copy();
        var metadata = updated.Child("metadata");
        metadata["finalizers"] = new JsonArray([.. obj.Finalizers().Where(f => f != finalizer).Select(f => (JsonNode?)JsonValue.Create(f))]);
        try
        {
            await context.Client.UpdateAsync(resource, updated, token: token).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.Code == 404)
        {
        }
    }
}
