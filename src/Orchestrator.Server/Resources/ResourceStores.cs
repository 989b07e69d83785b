using System.Runtime.CompilerServices;
using Orchestrator.Api.Registry;
using Orchestrator.Server.Resources.Strategies;

namespace Orchestrator.Server.Resources;

/// <summary>The store of each resource definition, made on first use and kept while the definition is (a CRD's are replaced with it).</summary>
public sealed class ResourceStores(ObjectStore objects, StrategyTable strategies, NamespaceLifecycle namespaces, ResourceRegistry registry, TimeProvider clock)
{
    private readonly ConditionalWeakTable<ResourceDefinition, ResourceStore> stores = [];

    public ObjectStore Objects => objects;

    public ResourceRegistry Registry => registry;

    public ResourceStore For(ResourceDefinition resource) =>
        stores.GetValue(resource, r => new ResourceStore(r, strategies.For(r), objects, namespaces, clock));

    /// <summary>The store of a built-in or registered resource by group and plural (its first served version).</summary>
    public ResourceStore For(string group, string plural) =>
        For(registry.Snapshot.Resources.FirstOrDefault(r => r.Group == group && r.Plural == plural)
            ?? throw new InvalidOperationException($"resource {plural}.{group} is not registered"));
}
