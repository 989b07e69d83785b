namespace Orchestrator.Api.Schema;

/// <summary>A resource within an API group, e.g. ("apps", "deployments").</summary>
/// <remarks>
/// Its string form is what Kubernetes prints in error messages: "deployments.apps" for a named
/// group, plain "pods" for the core group, so clients see the same text as from kube-apiserver.
/// </remarks>
public readonly record struct GroupResource(string Group, string Resource)
{
    public override string ToString() =>
        string.IsNullOrEmpty(Group) ? Resource : $"{Resource}.{Group}";
}
