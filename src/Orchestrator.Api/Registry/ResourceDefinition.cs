using System.Collections.Immutable;
using Orchestrator.Api.CustomResources;
using Orchestrator.Api.Schema;
using Orchestrator.Api.Selectors;

namespace Orchestrator.Api.Registry;

/// <summary>
/// Everything the server needs to know about one resource, as data: it drives discovery,
/// URL routing and generic handlers alike, and a CRD becomes one more instance of it.
/// </summary>
public sealed class ResourceDefinition
{
    /// <summary>API group; "" for the core group.</summary>
    public required string Group { get; init; }

    public required string Version { get; init; }

    public required string Kind { get; init; }

    /// <summary>The URL segment and discovery name, e.g. "deployments".</summary>
    public required string Plural { get; init; }

    public required string Singular { get; init; }

    public required bool Namespaced { get; init; }

    public ImmutableArray<string> Verbs { get; init; } = Registry.Verbs.Standard;

    public ImmutableArray<string> ShortNames { get; init; } = [];

    /// <summary>Groupings such as "all" that kubectl expands (kubectl get all).</summary>
    public ImmutableArray<string> Categories { get; init; } = [];

    public ImmutableArray<SubresourceDefinition> Subresources { get; init; } = [];

    /// <summary>The CRD version behind a custom resource (schema, columns, subresources); null for built-ins.</summary>
    public CustomResourceVersion? Custom { get; init; }

    /// <summary>Fields usable in fieldSelector; metadata.name (and namespace) by default.</summary>
    public SelectableFields? SelectableFields { get; init; }

    public string ListKind => Kind + "List";

    public GroupVersion GroupVersion => new(Group, Version);

    public GroupVersionKind GroupVersionKind => new(Group, Version, Kind);

    public GroupVersionResource GroupVersionResource => new(Group, Version, Plural);

    public GroupResource GroupResource => new(Group, Plural);

    public GroupKind GroupKind => new(Group, Kind);

    /// <summary>The selectable fields, defaulting to the metadata fields for the scope.</summary>
    public SelectableFields FieldSelectors =>
        SelectableFields ?? (Namespaced ? KnownSelectableFields.Namespaced : KnownSelectableFields.ClusterScoped);

    public bool Supports(string verb) => Verbs.Contains(verb);

    public SubresourceDefinition? FindSubresource(string name) =>
        Subresources.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal));

    public override string ToString() => GroupVersionResource.ToString();
}
