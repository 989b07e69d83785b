namespace Orchestrator.Api.Schema;

/// <summary>A fully qualified resource, e.g. ("apps", "v1", "deployments"): what a URL names.</summary>
public readonly record struct GroupVersionResource(string Group, string Version, string Resource)
{
    public GroupVersion GroupVersion => new(Group, Version);

    public GroupResource GroupResource => new(Group, Resource);

    public override string ToString() => $"{GroupVersion.ApiVersion}, Resource={Resource}";
}
