namespace Orchestrator.Server.Security.Authentication;

/// <summary>
/// What one authenticator made of a request's credential: not its kind (another may take it), a user, or a
/// credential of its kind that is invalid (the reason is logged, never sent: the client sees 401 Unauthorized).
/// </summary>
public readonly record struct AuthenticationResult(UserInfo? User, string? Error)
{
    public static AuthenticationResult NotMine => default;

    public static AuthenticationResult Success(UserInfo user) => new(user.Authenticated(), null);

    public static AuthenticationResult Failure(string error) => new(null, error);

    public bool Succeeded => User is not null;

    public bool Failed => Error is not null;
}

/// <summary>An authenticator of bearer tokens (static file, service-account JWT, OIDC, webhook TokenReview).</summary>
public interface ITokenAuthenticator
{
    /// <summary><see cref="AuthenticationResult.NotMine"/> for a token of another kind; never throws for bad input.</summary>
    ValueTask<AuthenticationResult> AuthenticateAsync(string token, CancellationToken cancellationToken);
}
