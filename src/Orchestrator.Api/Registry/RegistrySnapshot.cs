using System.Collections.Frozen;
using System.Collections.Immutable;
using Orchestrator.Api.Schema;

namespace Orchestrator.Api.Registry;

/// <summary>
/// One immutable version of the resource table with its lookup indexes. Readers hold a
/// snapshot for the length of a request, so a CRD registered meanwhile cannot change the
/// answer halfway through (e.g. between discovery and routing).
/// </summary>
public sealed class RegistrySnapshot
{
    private readonly FrozenDictionary<GroupVersionResource, ResourceDefinition> _byResource;
    private readonly FrozenDictionary<GroupVersionKind, ResourceDefinition> _byKind;
    private readonly FrozenDictionary<string, ImmutableArray<ResourceDefinition>> _byShortName;
    private readonly FrozenDictionary<string, ImmutableArray<ResourceDefinition>> _byCategory;

    internal RegistrySnapshot(ImmutableArray<ResourceDefinition> resources, long generation)
    {
        Resources = resources;
        Generation = generation;
        _byResource = resources.ToFrozenDictionary(r => r.GroupVersionResource);
        _byKind = resources.ToFrozenDictionary(r => r.GroupVersionKind);
        _byShortName = Index(resources, r => r.ShortNames);
        _byCategory = Index(resources, r => r.Categories);
        GroupVersions = [.. resources.Select(r => r.GroupVersion).Distinct()];
    }

    public static RegistrySnapshot Empty { get; } = new([], 0);

    /// <summary>Every resource, in registration order (discovery lists them in this order).</summary>
    public ImmutableArray<ResourceDefinition> Resources { get; }

    /// <summary>Increases with every change; lets discovery caches know when to rebuild.</summary>
    public long Generation { get; }

    /// <summary>Group versions in order of first registration; the core group comes first for built-ins.</summary>
    public ImmutableArray<GroupVersion> GroupVersions { get; }

    public ResourceDefinition? Find(string group, string version, string plural) =>
        _byResource.GetValueOrDefault(new GroupVersionResource(group, version, plural));

    public ResourceDefinition? FindByKind(GroupVersionKind kind) => _byKind.GetValueOrDefault(kind);

    /// <summary>Every resource of that kind name in any group, e.g. "Event".</summary>
    public ImmutableArray<ResourceDefinition> FindByKind(string kind) =>
        [.. Resources.Where(r => string.Equals(r.Kind, kind, StringComparison.Ordinal))];

    /// <summary>Resources with that short name; several groups may claim one, as in Kubernetes.</summary>
    public ImmutableArray<ResourceDefinition> FindByShortName(string shortName) =>
        _byShortName.GetValueOrDefault(shortName, []);

    public ImmutableArray<ResourceDefinition> FindByCategory(string category) =>
        _byCategory.GetValueOrDefault(category, []);

    public ImmutableArray<ResourceDefinition> InGroupVersion(GroupVersion groupVersion) =>
        [.. Resources.Where(r => r.GroupVersion == groupVersion)];

    /// <summary>A snapshot with <paramref name="resource"/> added, or replacing the one at the same group/version/plural.</summary>
    internal RegistrySnapshot With(ResourceDefinition resource)
    {
        ResourceDefinition? sameKind = FindByKind(resource.GroupVersionKind);
        if (sameKind is not null && sameKind.Plural != resource.Plural)
        {
            throw new ArgumentException(
                $"kind {resource.GroupVersionKind} is already served by resource \"{sameKind.Plural}\"", nameof(resource));
        }

        ResourceDefinition? existing = Find(resource.Group, resource.Version, resource.Plural);
        ImmutableArray<ResourceDefinition> resources = existing is null
            ? Resources.Add(resource)
            : Resources.Replace(existing, resource);
        return new RegistrySnapshot(resources, Generation + 1);
    }

    internal RegistrySnapshot Without(GroupVersionResource resource)
    {
        ResourceDefinition? existing = _byResource.GetValueOrDefault(resource);
        return existing is null ? this : new RegistrySnapshot(Resources.Remove(existing), Generation + 1);
    }

    private static FrozenDictionary<string, ImmutableArray<ResourceDefinition>> Index(
        ImmutableArray<ResourceDefinition> resources, Func<ResourceDefinition, ImmutableArray<string>> keys) =>
        resources
            .SelectMany(r => keys(r).Select(k => (Key: k, Resource: r)))
            .GroupBy(p => p.Key, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.Select(p => p.Resource).ToImmutableArray(), StringComparer.Ordinal);
}
