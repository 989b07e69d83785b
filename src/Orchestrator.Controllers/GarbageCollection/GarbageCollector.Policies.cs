using System.Text.Json.Nodes;
using Orchestrator.Api.Registry;
using Orchestrator.Client;
using Orchestrator.Controllers.Runtime;

namespace Orchestrator.Controllers.GarbageCollection;

partial class GarbageCollector
{
    private enum OwnerState
    {
        Present,
        Absent,
        DeletingDependentsFirst,
    }

    /// <summary>
    /// A dependent whose owners are all gone is deleted (foreground when an owner waits for it); one with
    /// some owners left only loses the references to the gone ones.
    /// </summary>
    private async Task CollectIfOrphanedAsync(ControllerContext context, ApiResource resource, JsonObject obj, CancellationToken token)
    {
        List<string> dangling = [];
        var waiting = 0;
        var present = 0;
        foreach (var reference in obj.OwnerReferences())
        {
            switch (await OwnerStateAsync(context, obj, reference, token).ConfigureAwait(false))
            {
                case OwnerState.Absent:
                    dangling.Add(reference.Str("uid") ?? "");
                    break;
                case OwnerState.DeletingDependentsFirst:
                    waiting++;
                    break;
                default:
                    present++;
                    break;
            }
        }
        if (present > 0)
        {
            if (dangling.Count > 0)
                await RemoveOwnerReferencesAsync(context, resource, obj, dangling.ToHashSet(), token).ConfigureAwait(false);
            return;
        }
        if (obj.IsDeleting())
            return;
        // Waiting owners want their dependents' own dependents gone first too, when there are any.
        var policy = waiting > 0 && graph.DependentsOf(obj.Uid()).Count > 0 ? "Foreground" : "Background";
        try
        {
            await context.Client.DeleteAsync(resource, obj.Namespace(), obj.Name(),
                new DeleteOptions { PropagationPolicy = policy, PreconditionUid = obj.Uid() }, token).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.Code == 404)
        {
        }
    }

    /// <summary>From the cache when it has the owner; otherwise asked live, since a missing cache entry may only be late.</summary>
    private async Task<OwnerState> OwnerStateAsync(ControllerContext context, JsonObject dependent, JsonObject reference, CancellationToken token)
    {
        var uid = reference.Str("uid");
        var resource = discovery?.FindKind(reference.Str("apiVersion"), reference.Str("kind"));
        if (resource is null || string.IsNullOrEmpty(uid))
            return OwnerState.Present; // a kind we cannot look up is never assumed gone
        var ns = resource.Namespaced ? dependent.Namespace() : null;
        var name = reference.Str("name") ?? "";
        var owner = CacheOf(context, resource)?.Get(ns, name);
        if (owner is null || owner.Uid() != uid)
        {
            try
            {
                owner = await context.Client.GetAsync(resource, ns, name, token).ConfigureAwait(false);
            }
            catch (KubeApiException e) when (e.Code == 404)
            {
                return OwnerState.Absent;
            }
        }
        if (owner.Uid() != uid)
            return OwnerState.Absent;
        return owner.IsDeleting() && owner.Finalizers().Contains(ForegroundFinalizer) ? OwnerState.DeletingDependentsFirst : OwnerState.Present;
    }

    private static async Task RemoveOwnerReferencesAsync(ControllerContext context, ApiResource resource, JsonObject obj, HashSet<string> uids, CancellationToken token)
    {
        var updated = obj.Copy();
        var kept = obj.OwnerReferences().Where(r => !uids.Contains(r.Str("uid") ?? "")).Select(r => r.DeepClone()).ToArray();
        if (kept.Length == 0)
            updated.Child("metadata").Remove("ownerReferences");
        else
            updated.Child("metadata")["ownerReferences"] = new JsonArray(kept);
        try
        {
            await context.Client.UpdateAsync(resource, updated, token: token).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.Code == 404)
        {
        }
    }

    /// <summary>Foreground: delete every dependent, and let the owner go once none that blocks it is left.</summary>
    private async Task DeleteDependentsFirstAsync(ControllerContext context, ApiResource resource, JsonObject owner, CancellationToken token)
    {
        var blocking = 0;
        foreach (var dependent in graph.DependentsOf(owner.Uid()))
        {
            var obj = CacheOf(context, dependent.Resource)?.Get(dependent.Namespace, dependent.Name);
            if (obj is null)
                continue;
            if (obj.OwnerReferences().Any(r => r.Str("uid") == owner.Uid() && r.Bool("blockOwnerDeletion") == true))
                blocking++;
            if (obj.IsDeleting())
                continue;
            var policy = graph.DependentsOf(obj.Uid()).Count > 0 ? "Foreground" : "Background";
            try
            {
                await context.Client.DeleteAsync(dependent.Resource, obj.Namespace(), obj.Name(),
                    new DeleteOptions { PropagationPolicy = policy, PreconditionUid = obj.Uid() }, token).ConfigureAwait(false);
            }
            catch (KubeApiException e) when (e.Code == 404)
            {
            }
        }
        if (blocking == 0)
            await RemoveFinalizerAsync(context, resource, owner, ForegroundFinalizer, token).ConfigureAwait(false);
    }

    /// <summary>Orphan: every dependent loses its reference to the owner, then the owner its finalizer.</summary>
    private async Task OrphanDependentsAsync(ControllerContext context, ApiResource resource, JsonObject owner, CancellationToken token)
    {
        foreach (var dependent in graph.DependentsOf(owner.Uid()))
        {
            if (CacheOf(context, dependent.Resource)?.Get(dependent.Namespace, dependent.Name) is { } obj)
                await RemoveOwnerReferencesAsync(context, dependent.Resource, obj, [owner.Uid()], token).ConfigureAwait(false);
        }
        await RemoveFinalizerAsync(context, resource, owner, OrphanFinalizer, token).ConfigureAwait(false);
    }
}
