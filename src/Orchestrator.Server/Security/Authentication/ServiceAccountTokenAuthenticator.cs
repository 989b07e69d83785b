using Microsoft.IdentityModel.JsonWebTokens;
using Orchestrator.Server.Resources;

namespace Orchestrator.Server.Security.Authentication;

/// <summary>
/// Authenticates service-account tokens: valid signature, issuer, audience and lifetime, and the service account
/// (and any pod or secret the token is bound to) still the same object in this replica's store.
/// </summary>
public sealed class ServiceAccountTokenAuthenticator(ServiceAccountTokens tokens, ResourceStores stores) : ITokenAuthenticator
{
    public async ValueTask<AuthenticationResult> AuthenticateAsync(string token, CancellationToken cancellationToken)
    {
        if (!ServiceAccountTokens.ClaimsOurIssuer(token))
            return AuthenticationResult.NotMine;
        var jwt = await tokens.ValidateAsync(token, [ServiceAccountTokens.Issuer]);
        if (jwt is null)
            return AuthenticationResult.Failure("service-account token: invalid signature, audience or lifetime");
        if (!jwt.TryGetPayloadValue<System.Text.Json.JsonElement>("kubernetes.io", out var claims) || claims.ValueKind != System.Text.Json.JsonValueKind.Object)
            return AuthenticationResult.Failure("service-account token without kubernetes.io claims");
        var ns = Text(claims, "namespace");
        var name = Text(claims, "serviceaccount", "name");
        var uid = Text(claims, "serviceaccount", "uid");
        if (ns.Length == 0 || name.Length == 0 || jwt.Subject != $"{Authorization.Rbac.RoleBindingSubject.ServiceAccountPrefix}{ns}:{name}")
            return AuthenticationResult.Failure("service-account token: subject and claims disagree");
        if (!await ExistsAsync("serviceaccounts", ns, name, uid, cancellationToken))
            return AuthenticationResult.Failure($"service account {ns}/{name} (uid {uid}) no longer exists");
        var extra = new Dictionary<string, IReadOnlyList<string>> { ["authentication.kubernetes.io/credential-id"] = [$"JTI={jwt.Id}"] };
        foreach (var (kind, plural) in new[] { ("pod", "pods"), ("secret", "secrets") })
        {
            var boundName = Text(claims, kind, "name");
            if (boundName.Length == 0)
                continue;
            var boundUid = Text(claims, kind, "uid");
            if (!await ExistsAsync(plural, ns, boundName, boundUid, cancellationToken))
                return AuthenticationResult.Failure($"the {kind} {ns}/{boundName} the token is bound to no longer exists");
            extra[$"authentication.kubernetes.io/{kind}-name"] = [boundName];
            extra[$"authentication.kubernetes.io/{kind}-uid"] = [boundUid];
        }
        var user = new UserInfo(jwt.Subject, ["system:serviceaccounts", $"system:serviceaccounts:{ns}"]) { Uid = uid, Extra = extra };
        return AuthenticationResult.Success(user);
    }

    private async Task<bool> ExistsAsync(string plural, string ns, string name, string uid, CancellationToken token)
    {
        var store = stores.For("", plural);
        // Usually already here; an object just made through another replica is read once more after a barrier.
        var found = await store.FindAsync(ns, name, local: true, token) ?? await store.FindAsync(ns, name, local: false, token);
        return found is not null && !found.IsDeleting() && (uid.Length == 0 || found.Uid() == uid);
    }

    private static string Text(System.Text.Json.JsonElement element, params string[] path)
    {
        foreach (var step in path)
        {
            if (element.ValueKind != System.Text.Json.JsonValueKind.Object || !element.TryGetProperty(step, out element))
                return "";
        }
        return element.ValueKind == System.Text.Json.JsonValueKind.String ? element.GetString() ?? "" : "";
    }
}
