using Orchestrator.Api.Errors;

namespace Orchestrator.Server.Security.Authentication;

/// <summary>
/// kube-apiserver's authentication chain: a client certificate from the cluster CA, then the bearer token
/// through each token authenticator in order (the first that accepts it wins). A request that presents a
/// credential nobody accepts is 401; one that presents none is anonymous only on the public paths (health,
/// version, discovery), 401 elsewhere (kube's anonymous-auth limited to endpoints).
/// </summary>
public sealed class RequestAuthenticator(
    ClientCertificateAuthenticator certificates,
    IEnumerable<ITokenAuthenticator> tokens,
    ILogger<RequestAuthenticator> logger)
{
    private readonly ITokenAuthenticator[] tokenAuthenticators = [.. tokens];

    /// <summary>The authenticated user; throws a 401 <see cref="ApiException"/> otherwise.</summary>
    public async ValueTask<UserInfo> AuthenticateAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var presented = false;
        if (context.Connection.ClientCertificate is { } certificate)
        {
            presented = true;
            var result = certificates.Authenticate(certificate);
            if (result.Succeeded)
                return result.User!;
            Reject(result.Error);
        }
        if (BearerToken(context.Request) is { } token)
        {
            presented = true;
            foreach (var authenticator in tokenAuthenticators)
            {
                var result = await authenticator.AuthenticateAsync(token, cancellationToken);
                if (result.Succeeded)
                    return result.User!;
                if (result.Failed)
                    Reject(result.Error);
            }
        }
        if (!presented && AnonymousPaths.Allows(context.Request.Path.Value ?? "/"))
            return UserInfo.Anonymous;
        throw ApiException.Unauthorized();
    }

    /// <summary>A bearer token's user, or null when no token authenticator accepts it (TokenReview).</summary>
    public async ValueTask<UserInfo?> AuthenticateTokenAsync(string token, CancellationToken cancellationToken)
    {
        foreach (var authenticator in tokenAuthenticators)
        {
            var result = await authenticator.AuthenticateAsync(token, cancellationToken);
            if (result.Succeeded)
                return result.User;
            if (result.Failed)
                return null;
        }
        return null;
    }

    private void Reject(string? error) => logger.LogDebug("Credential rejected: {Error}", error);

    /// <summary>The token of an `Authorization: Bearer` header, or of WebSocket's base64url.bearer.authorization.k8s.io subprotocol.</summary>
    internal static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.Length > 7 && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = header[7..].Trim();
            return token.Length > 0 ? token : null;
        }
        const string prefix = "base64url.bearer.authorization.k8s.io.";
        foreach (var protocol in request.Headers.SecWebSocketProtocol.ToString().Split(',', StringSplitOptions.TrimEntries))
        {
            if (!protocol.StartsWith(prefix, StringComparison.Ordinal))
                continue;
            try
            {
                var bytes = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(protocol[prefix.Length..]);
                return System.Text.Encoding.UTF8.GetString(bytes);
            }
            catch (FormatException)
            {
                return null;
            }
        }
        return null;
    }
}
