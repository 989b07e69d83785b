namespace Orchestrator.Api.Schema;

/// <summary>A kind within an API group, e.g. ("apps", "Deployment").</summary>
/// <remarks>Prints as "Deployment.apps", or "Pod" for the core group, as Invalid errors expect.</remarks>
public readonly record struct GroupKind(string Group, string Kind)
{
    public override string ToString() =>
        string.IsNullOrEmpty(Group) ? Kind : $"{Kind}.{Group}";
}
