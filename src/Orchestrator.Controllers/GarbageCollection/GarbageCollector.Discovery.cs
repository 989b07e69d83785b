using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Orchestrator.Api.Registry;
using Orchestrator.Client;
using Orchestrator.Client.Informers;
using Orchestrator.Controllers.Runtime;

namespace Orchestrator.Controllers.GarbageCollection;

// Custom resources: built-in kinds are watched through the shared informers from the start of the term; whatever
// else discovery reports (CRDs) gets an informer of the collector's own, added and dropped as discovery changes,
// as kube's GC resyncs its monitors from discovery.
partial class GarbageCollector
{
    private readonly ConcurrentDictionary<ApiResource, Informer> discovered = [];

    public override async Task RunAsync(ControllerContext context, CancellationToken token)
    {
        try
        {
            await Task.WhenAll(base.RunAsync(context, token), FollowDiscoveryAsync(context, token)).ConfigureAwait(false);
        }
        finally
        {
            foreach (var informer in discovered.Values)
                await informer.DisposeAsync().ConfigureAwait(false);
            discovered.Clear();
        }
    }

    /// <summary>The cache holding <paramref name="resource"/>, or null when the collector does not watch it.</summary>
    private Informer? CacheOf(ControllerContext context, ApiResource resource)
    {
        if (discovered.TryGetValue(resource, out var own))
            return own;
        return IsBuiltIn(resource) && resources.ContainsKey(resource.ToString()) ? context.Informers.For(resource) : null;
    }

    private async Task FollowDiscoveryAsync(ControllerContext context, CancellationToken token)
    {
        if (discovery is null)
            return;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await discovery.RefreshIfStaleAsync(token).ConfigureAwait(false);
                await SyncInformersAsync(context).ConfigureAwait(false);
                await Task.Delay(discovery.RefreshPeriod, context.Clock, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Starts an informer for every newly served custom resource and stops those no longer served.</summary>
    private async Task SyncInformersAsync(ControllerContext context)
    {
        var wanted = discovery!.Stored
            .Where(r => r.Supports(Verbs.Watch) && !IsBuiltIn(r.Resource))
            .Select(r => r.Resource)
            .ToHashSet();
        foreach (var resource in wanted.Where(r => !discovered.ContainsKey(r)))
        {
            var informer = new Informer(context.Client, resource, null, (change, _) =>
            {
                OnChange(resource, change);
                return ValueTask.CompletedTask;
            });
            resources[resource.ToString()] = resource;
            discovered[resource] = informer;
            informer.Start();
            Logger.LogInformation("{Controller}: watching {Resource}", Name, resource);
        }
        foreach (var resource in discovered.Keys.Where(r => !wanted.Contains(r)).ToList())
        {
            if (discovered.TryRemove(resource, out var informer))
            {
                resources.TryRemove(resource.ToString(), out _);
                await informer.DisposeAsync().ConfigureAwait(false);
                Logger.LogInformation("{Controller}: {Resource} is no longer served", Name, resource);
            }
        }
    }

    // Events are built in but never watched (never owners, very many): built-in means "decided by Watched", not discovery.
    private static bool IsBuiltIn(ApiResource resource) =>
        BuiltInResources.All.Any(d => d.Group == resource.Group && d.Plural == resource.Plural);
}
