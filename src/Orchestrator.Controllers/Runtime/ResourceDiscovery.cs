using Microsoft.Extensions.Logging;
using Orchestrator.Api.Registry;
using Orchestrator.Client;
using Orchestrator.Client.Discovery;

namespace Orchestrator.Controllers.Runtime;

/// <summary>
/// What the server serves, from its discovery, re-read at most every <see cref="RefreshPeriod"/>, so custom resources
/// show up once their CRD is established (kube's GC and namespace controller re-discover every 30 s). Until the
/// first answer, and if discovery fails, the built-in registry stands in: built-in behaviour never depends on it.
/// </summary>
public sealed class ResourceDiscovery(KubeClient client, TimeProvider clock, ILogger logger)
{
    public static readonly TimeSpan DefaultRefreshPeriod = TimeSpan.FromSeconds(15);

    private readonly SemaphoreSlim refreshing = new(1, 1);
    private IReadOnlyList<DiscoveredResource> current = BuiltIn;
    private DateTimeOffset refreshedAt = DateTimeOffset.MinValue;

    public TimeSpan RefreshPeriod { get; init; } = DefaultRefreshPeriod;

    /// <summary>The last answer (or the built-ins); cheap, no request.</summary>
    public IReadOnlyList<DiscoveredResource> Current => Volatile.Read(ref current);

    /// <summary>Resources the server keeps in storage, preferred versions: what can hold objects to delete or collect.</summary>
    public IEnumerable<DiscoveredResource> Stored =>
        Current.Where(r => r.Preferred && r.Resource.Group != BuiltInResources.MetricsGroup && r.Supports(Verbs.List) && r.Supports(Verbs.Delete));

    /// <summary>Asks the server again when the last answer is older than the refresh period; failures keep the last answer.</summary>
    public async Task RefreshIfStaleAsync(CancellationToken token)
    {
        if (clock.GetUtcNow() - refreshedAt < RefreshPeriod)
            return;
        try
        {
            await RefreshAsync(token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
        {
            logger.LogWarning("Discovery failed ({Message}); keeping the last known resources", e.Message);
        }
    }

    /// <summary>
    /// Asks the server now and throws when it cannot answer: for decisions a stale view would make wrong (a namespace
    /// finalized while objects of a new CRD are still in it).
    /// </summary>
    public async Task RefreshAsync(CancellationToken token)
    {
        await refreshing.WaitAsync(token).ConfigureAwait(false);
        try
        {
            var found = await client.DiscoverResourcesAsync(token).ConfigureAwait(false);
            // An empty answer is a broken server, not a cluster without resources.
            if (found.Count == 0)
                throw new InvalidOperationException("discovery answered without any resource");
            Volatile.Write(ref current, found);
            refreshedAt = clock.GetUtcNow();
        }
        finally
        {
            refreshing.Release();
        }
    }

    /// <summary>The resource serving <paramref name="kind"/> at apiVersion, else at the group's preferred version; null when unknown.</summary>
    public ApiResource? FindKind(string? apiVersion, string? kind)
    {
        if (apiVersion is null || kind is null)
            return null;
        var slash = apiVersion.IndexOf('/');
        var group = slash < 0 ? "" : apiVersion[..slash];
        var version = slash < 0 ? apiVersion : apiVersion[(slash + 1)..];
        var ofKind = Current.Where(r => r.Resource.Group == group && r.Kind == kind).ToList();
        return (ofKind.FirstOrDefault(r => r.Resource.Version == version) ?? ofKind.FirstOrDefault(r => r.Preferred))?.Resource;
    }

    private static IReadOnlyList<DiscoveredResource> BuiltIn { get; } =
        [.. BuiltInResources.All.Select(d => new DiscoveredResource(ApiResource.From(d), d.Kind, [.. d.Verbs], Preferred: true))];
}
