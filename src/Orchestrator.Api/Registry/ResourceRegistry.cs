using Orchestrator.Api.Schema;

namespace Orchestrator.Api.Registry;

/// <summary>
/// The live resource table. Reads are a single volatile load of an immutable
/// <see cref="RegistrySnapshot"/>; writes (CRDs being established or removed) build a new
/// snapshot and swap it in with compare-and-swap, so readers never lock and never see a
/// half-applied change.
/// </summary>
public sealed class ResourceRegistry
{
    private RegistrySnapshot _snapshot;

    public ResourceRegistry(IEnumerable<ResourceDefinition> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        RegistrySnapshot snapshot = RegistrySnapshot.Empty;
        foreach (ResourceDefinition resource in resources)
        {
            snapshot = snapshot.With(Validated(resource));
        }

        _snapshot = snapshot;
    }

    /// <summary>A registry holding the built-in kinds of <see cref="BuiltInResources"/>.</summary>
    public static ResourceRegistry CreateWithBuiltIns() => new([.. BuiltInResources.All, .. BuiltInResources.Metrics, .. BuiltInResources.Reviews]);

    /// <summary>The current table; keep the returned snapshot for consistent multi-step reads.</summary>
    public RegistrySnapshot Snapshot => Volatile.Read(ref _snapshot);

    /// <summary>Adds a resource, or replaces the one with the same group, version and plural.</summary>
    public void Register(ResourceDefinition resource)
    {
        Validated(resource);
        Update(s => s.With(resource));
    }

    /// <summary>Removes a resource; returns false when it was not registered.</summary>
    public bool Unregister(GroupVersionResource resource)
    {
        bool removed = false;
        Update(s =>
        {
            RegistrySnapshot next = s.Without(resource);
            removed = !ReferenceEquals(next, s);
            return next;
        });
        return removed;
    }

    public ResourceDefinition? Find(string group, string version, string plural) => Snapshot.Find(group, version, plural);

    public ResourceDefinition? FindByKind(GroupVersionKind kind) => Snapshot.FindByKind(kind);

    private void Update(Func<RegistrySnapshot, RegistrySnapshot> change)
    {
        // Optimistic loop: a racing writer makes us rebuild from its snapshot, never lose its change.
        while (true)
        {
            RegistrySnapshot current = Volatile.Read(ref _snapshot);
            RegistrySnapshot next = change(current);
            if (ReferenceEquals(next, current)
                || ReferenceEquals(Interlocked.CompareExchange(ref _snapshot, next, current), current))
            {
                return;
            }
        }
    }

    private static ResourceDefinition Validated(ResourceDefinition resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        foreach ((string value, string name) in new[]
        {
            (resource.Version, nameof(resource.Version)),
            (resource.Kind, nameof(resource.Kind)),
            (resource.Plural, nameof(resource.Plural)),
            (resource.Singular, nameof(resource.Singular)),
        })
        {
            if (string.IsNullOrEmpty(value))
            {
                throw new ArgumentException($"{name} must not be empty", nameof(resource));
            }
        }

        if (resource.Plural != resource.Plural.ToLowerInvariant() || resource.Singular != resource.Singular.ToLowerInvariant())
        {
            throw new ArgumentException("plural and singular names must be lower case", nameof(resource));
        }

        return resource;
    }
}
