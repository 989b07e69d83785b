namespace Orchestrator.Server.Security.Authorization;

/// <summary>Interim: every authenticated user may do everything, as before authorization existed. RBAC replaces it.</summary>
public sealed class AuthenticatedUsersAllowed : IAuthorizer
{
    public ValueTask<AuthorizationResult> AuthorizeAsync(AuthorizationAttributes attributes, CancellationToken cancellationToken) =>
        ValueTask.FromResult(attributes.User.IsAnonymous && attributes.IsResourceRequest ? AuthorizationResult.NoOpinion() : AuthorizationResult.Allowed());
}
