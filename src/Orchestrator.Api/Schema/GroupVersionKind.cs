namespace Orchestrator.Api.Schema;

/// <summary>A fully qualified kind, e.g. ("apps", "v1", "Deployment").</summary>
public readonly record struct GroupVersionKind(string Group, string Version, string Kind)
{
    public GroupVersion GroupVersion => new(Group, Version);

    public GroupKind GroupKind => new(Group, Kind);

    public override string ToString() => $"{GroupVersion.ApiVersion}, Kind={Kind}";
}
