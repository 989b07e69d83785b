namespace Orchestrator.Server.Security.Authorization;

/// <summary>
/// What a request asks to do, as kube's authorizer.Attributes: a verb on a resource (group, resource, subresource,
/// namespace, name) or, for a non-resource request, a verb ("get", "post", ...) on a path.
/// </summary>
public sealed record AuthorizationAttributes(UserInfo User, string Verb)
{
    public bool IsResourceRequest { get; init; }

    public string Path { get; init; } = "";

    public string ApiGroup { get; init; } = "";

    public string ApiVersion { get; init; } = "";

    public string Resource { get; init; } = "";

    public string Subresource { get; init; } = "";

    public string Namespace { get; init; } = "";

    public string Name { get; init; } = "";

    /// <summary>resource or resource/subresource, as RBAC rules and kube's messages name it.</summary>
    public string ResourcePath => Subresource.Length == 0 ? Resource : $"{Resource}/{Subresource}";
}

public enum Decision
{
    NoOpinion,
    Allow,
    Deny,
}

/// <summary>An authorizer's answer; <see cref="Reason"/> is appended to kube's 403 message when not empty.</summary>
public readonly record struct AuthorizationResult(Decision Decision, string Reason = "")
{
    public static AuthorizationResult Allowed(string reason = "") => new(Decision.Allow, reason);

    public static AuthorizationResult NoOpinion(string reason = "") => new(Decision.NoOpinion, reason);

    public static AuthorizationResult Denied(string reason) => new(Decision.Deny, reason);
}

/// <summary>One authorizer of the chain (node, RBAC). Must not throw for any attributes.</summary>
public interface IAuthorizer
{
    ValueTask<AuthorizationResult> AuthorizeAsync(AuthorizationAttributes attributes, CancellationToken cancellationToken);
}
