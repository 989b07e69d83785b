using Orchestrator.Server.Http;
using Orchestrator.Server.Security.Authentication;
using Orchestrator.Server.Security.Authorization;

namespace Orchestrator.Server.Security;

/// <summary>
/// What every API request passes before a handler sees it, in kube-apiserver's order: authentication (401),
/// impersonation, per-user rate limits (429), authorization (403); writes are audited from impersonation on. Throws the Status error; the dispatcher writes it.
/// </summary>
public sealed class RequestGate(
    RequestAuthenticator authenticator,
    Impersonation impersonation,
    RateLimits.UserRateLimiter rateLimiter,
    AuthorizerChain authorizer,
    Audit.AuditLog audit)
{
    /// <summary>Subresources whose streams open with a GET (WebSocket) but act: kube authorizes them as create.</summary>
    private static readonly HashSet<string> StreamingSubresources = ["exec", "attach", "portforward"];

    public async ValueTask<UserInfo> AdmitAsync(HttpContext context, RequestInfo? info, CancellationToken cancellationToken)
    {
        var authenticated = await authenticator.AuthenticateAsync(context, cancellationToken);
        var user = await impersonation.ApplyAsync(context.Request, authenticated, cancellationToken);
        context.Items[typeof(UserInfo)] = user;
        var attributes = AttributesOf(user, context.Request, info);
        // Writes refused from here on (429, 403) are audited too.
        audit.Track(context, authenticated, user, attributes);
        await rateLimiter.AdmitAsync(context, user, info, cancellationToken);
        var result = await authorizer.AuthorizeAsync(attributes, cancellationToken);
        if (result.Decision != Decision.Allow)
            throw ForbiddenMessages.For(attributes, result.Reason);
        return user;
    }

    /// <summary>The authorizer's view of a request (kube's RequestInfo to authorizer.Attributes).</summary>
    public static AuthorizationAttributes AttributesOf(UserInfo user, HttpRequest request, RequestInfo? info)
    {
        if (info is null)
            return new AuthorizationAttributes(user, request.Method.ToLowerInvariant()) { Path = request.Path.Value ?? "/" };
        var verb = info.Verb;
        if (info.Subresource is { } sub && StreamingSubresources.Contains(sub) && verb == "get")
            verb = "create";
        return new AuthorizationAttributes(user, verb)
        {
            IsResourceRequest = true,
            Path = request.Path.Value ?? "/",
            ApiGroup = info.Group,
            ApiVersion = info.Version,
            Resource = info.Resource,
            Subresource = info.Subresource ?? "",
            Namespace = info.Namespace ?? "",
            Name = info.Name ?? "",
        };
    }
}
