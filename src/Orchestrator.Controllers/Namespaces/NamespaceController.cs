using System.Text.Json.Nodes;
using Orchestrator.Api.Registry;
using Orchestrator.Client;
using Orchestrator.Controllers.Runtime;

namespace Orchestrator.Controllers.Namespaces;

/// <summary>
/// Empties namespaces being deleted: deletes everything in them (honouring finalizers and graceful pod
/// deletion, which may take a while), and once nothing is left removes the "kubernetes" finalizer from
/// spec.finalizers through namespaces/finalize; the API server then deletes the namespace.
/// </summary>
public sealed class NamespaceController : QueueController
{
    public const string Finalizer = "kubernetes";

    // How soon to look again while objects are still going away (kube estimates from grace periods).
    private static readonly TimeSpan Recheck = TimeSpan.FromSeconds(1);

    private ResourceDiscovery? discovery;

    public override string Name => "namespace";

    /// <summary>Namespaced built-in kinds that can be listed and deleted: what a namespace can hold before discovery answers.</summary>
    public static IEnumerable<ApiResource> Contents =>
        BuiltInResources.All.Where(d => d.Namespaced && d.Supports(Verbs.List) && d.Supports(Verbs.Delete)).Select(ApiResource.From);

    protected override void Subscribe(ControllerContext context)
    {
        discovery = new ResourceDiscovery(context.Client, context.Clock, Logger);
        QueueOwnKeys(context, ApiResource.Namespaces);
    }

    /// <summary>
    /// What a namespace can hold now: every stored namespaced resource the server serves, custom ones included. Asked
    /// afresh on every pass, as kube's namespace deleter does: a CRD made a moment ago must not be missed, or the namespace
    /// would be finalized over its objects. When discovery fails the pass fails and is retried.
    /// </summary>
    private async Task<IEnumerable<ApiResource>> ContentsAsync(CancellationToken token)
    {
        if (discovery is null)
            return Contents;
        await discovery.RefreshAsync(token).ConfigureAwait(false);
        return discovery.Stored.Where(r => r.Resource.Namespaced).Select(r => r.Resource);
    }

    protected override async Task ReconcileAsync(ControllerContext context, string key, CancellationToken token)
    {
        var ns = context.Informers.For(ApiResource.Namespaces).Get(null, key);
        if (ns is null || !ns.IsDeleting() || !(ns.Arr("spec", "finalizers") ?? []).Any(f => f?.GetValue<string>() == Finalizer))
            return;
        var remaining = 0;
        foreach (var resource in await ContentsAsync(token).ConfigureAwait(false))
            remaining += await DeleteContentAsync(context, resource, key, token).ConfigureAwait(false);
        if (remaining > 0)
        {
            Queue.AddAfter(key, Recheck);
            return;
        }
        var finalized = ns.Copy();
        finalized.Child("spec")["finalizers"] = new JsonArray([.. (ns.Arr("spec", "finalizers") ?? [])
            .Select(f => f?.GetValue<string>()).Where(f => f != Finalizer).Select(f => (JsonNode?)JsonValue.Create(f))]);
        try
        {
            await context.Client.UpdateAsync(ApiResource.Namespaces, finalized, subresource: "finalize", token: token).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.Code == 404)
        {
        }
    }

    /// <summary>Deletes what is left of one resource in the namespace (live list, not a cache); returns how many objects remain.</summary>
    private static async Task<int> DeleteContentAsync(ControllerContext context, ApiResource resource, string ns, CancellationToken token)
    {
        var remaining = 0;
        await foreach (var obj in context.Client.ListAllAsync(resource, ns, token: token).ConfigureAwait(false))
        {
            remaining++;
            if (obj.IsDeleting())
                continue; // finalizers or a node are finishing it
            try
            {
                await context.Client.DeleteAsync(resource, ns, obj.Name(),
                    new DeleteOptions { PropagationPolicy = "Background", PreconditionUid = obj.Uid() }, token).ConfigureAwait(false);
            }
            catch (KubeApiException e) when (e.Code is 404 or 409)
            {
                // Gone or replaced meanwhile; the next pass sees what is there.
            }
        }
        return remaining;
    }
}
