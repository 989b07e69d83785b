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
    private static readonly ApiResource Crds = new("apiextensions.k8s.io", "v1", "customresourcedefinitions", false);

    private readonly ConcurrentDictionary<ApiResource, Informer> discovered = [];

    // Released by CRD events: rediscover now rather than at the next period.
    private readonly SemaphoreSlim crdChanged = new(0, 1);

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

    /// <summary>
    /// Rediscovers every refresh period, and at once when a CRD changes. The CRD informer is the collector's own and
    /// never waited for: on a server without CRDs it only retries its LIST with backoff (at most every 30 s).
    /// </summary>
    private async Task FollowDiscoveryAsync(ControllerContext context, CancellationToken token)
    {
        if (discovery is null)
            return;
        await using var crds = new Informer(context.Client, Crds, null, (_, _) =>
        {
            if (crdChanged.CurrentCount == 0)
                crdChanged.Release();
            return ValueTask.CompletedTask;
        });
        crds.Start();
        var force = false;
        while (!token.IsCancellationRequested)
        {
            try
            {
                if (force)
                    await discovery.RefreshAsync(token).ConfigureAwait(false);
                else
                    await discovery.RefreshIfStaleAsync(token).ConfigureAwait(false);
                await SyncInformersAsync(context).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Logger.LogWarning("{Controller}: rediscovery failed ({Message})", Name, e.Message);
            }
            try
            {
                force = await crdChanged.WaitAsync(discovery.RefreshPeriod, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
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
