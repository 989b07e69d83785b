namespace Orchestrator.Server.Security.Authorization;

/// <summary>
/// kube-apiserver's union authorizer: system:masters is allowed everything (the privileged group); then each
/// authorizer in order, the first Allow or Deny decides; no opinion from all of them is a denial.
/// </summary>
public sealed class AuthorizerChain(IEnumerable<IAuthorizer> authorizers)
{
    private readonly IAuthorizer[] chain = [.. authorizers];

    public async ValueTask<AuthorizationResult> AuthorizeAsync(AuthorizationAttributes attributes, CancellationToken cancellationToken)
    {
        if (attributes.User.Groups.Contains(UserInfo.MastersGroup))
            return AuthorizationResult.Allowed();
        var reasons = new List<string>();
        foreach (var authorizer in chain)
        {
            var result = await authorizer.AuthorizeAsync(attributes, cancellationToken);
            if (result.Decision != Decision.NoOpinion)
                return result;
            if (result.Reason.Length > 0)
                reasons.Add(result.Reason);
        }
        return AuthorizationResult.Denied(string.Join(", ", reasons));
    }
}
