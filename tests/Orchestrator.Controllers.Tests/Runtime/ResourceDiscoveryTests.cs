using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Api.Registry;
using Orchestrator.Client;
using Orchestrator.Controllers.GarbageCollection;
using Orchestrator.Controllers.Namespaces;
using Orchestrator.Controllers.Runtime;

namespace Orchestrator.Controllers.Tests.Runtime;

/// <summary>
/// What the garbage collector and the namespace controller learn from discovery covers everything they handled from
/// the built-in registry before, and nothing that is not stored (metrics.k8s.io) or is a subresource.
/// </summary>
public sealed class ResourceDiscoveryTests(ControlPlaneCluster cluster) : IClassFixture<ControlPlaneCluster>
{
    private KubeClient Client => cluster.Client(3);

    [Fact]
    public async Task TheServerAdvertisesEveryBuiltInResourceWithoutSubresources()
    {
        var found = await Client.DiscoverResourcesAsync();
        foreach (var definition in BuiltInResources.All)
        {
            var match = Assert.Single(found, r => r.Resource == ApiResource.From(definition));
            Assert.Equal(definition.Kind, match.Kind);
            Assert.Equal(definition.Verbs.Order(), match.Verbs.Order());
        }
        Assert.DoesNotContain(found, r => r.Resource.Plural.Contains('/'));
        Assert.Contains(found, r => r.Resource.Group == BuiltInResources.MetricsGroup); // advertised, for kubectl top
    }

    [Fact]
    public async Task StoredResourcesAreWhatTheControllersHandledBeforeAndNoMetrics()
    {
        var discovery = new ResourceDiscovery(Client, TimeProvider.System, NullLogger.Instance);
        await discovery.RefreshIfStaleAsync(CancellationToken.None);
        var stored = discovery.Stored.ToList();
        Assert.DoesNotContain(stored, r => r.Resource.Group == BuiltInResources.MetricsGroup);

        var namespaced = stored.Where(r => r.Resource.Namespaced).Select(r => r.Resource).ToHashSet();
        Assert.Superset(NamespaceController.Contents.ToHashSet(), namespaced);
        var watchable = stored.Where(r => r.Supports(Verbs.Watch)).Select(r => r.Resource).ToHashSet();
        Assert.Superset(GarbageCollector.Watched.Select(ApiResource.From).ToHashSet(), watchable);

        // Owner kinds resolve through discovery, with or without the exact version.
        Assert.Equal(ApiResource.Deployments, discovery.FindKind("apps/v1", "Deployment"));
        Assert.Equal(ApiResource.Deployments, discovery.FindKind("apps/v1beta9", "Deployment"));
        Assert.Null(discovery.FindKind("example.com/v1", "Nothing"));
    }
}
