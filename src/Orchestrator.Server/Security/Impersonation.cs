using Orchestrator.Api.Errors;
using Orchestrator.Server.Security.Authorization;

namespace Orchestrator.Server.Security;

/// <summary>
/// kube's impersonation headers (Impersonate-User, -Group, -Uid, -Extra-*; kubectl --as / --as-group): the
/// authenticated user must be allowed to "impersonate" each named user, service account, group, uid and extra
/// value; the request then runs as the impersonated user.
/// </summary>
public sealed class Impersonation(AuthorizerChain authorizer)
{
    private const string UserHeader = "Impersonate-User";
    private const string GroupHeader = "Impersonate-Group";
    private const string UidHeader = "Impersonate-Uid";
    private const string ExtraPrefix = "Impersonate-Extra-";

    /// <summary>The user the request acts as: <paramref name="user"/> itself when nothing is impersonated.</summary>
    public async ValueTask<UserInfo> ApplyAsync(HttpRequest request, UserInfo user, CancellationToken token)
    {
        var name = request.Headers[UserHeader].ToString();
        var groups = request.Headers[GroupHeader].Where(g => !string.IsNullOrEmpty(g)).Select(g => g!).ToList();
        var uid = request.Headers[UidHeader].ToString();
        var extra = request.Headers
            .Where(h => h.Key.StartsWith(ExtraPrefix, StringComparison.OrdinalIgnoreCase) && h.Key.Length > ExtraPrefix.Length)
            .ToDictionary(h => Uri.UnescapeDataString(h.Key[ExtraPrefix.Length..]).ToLowerInvariant(), h => (IReadOnlyList<string>)[.. h.Value.Select(v => v ?? "")]);
        if (name.Length == 0)
        {
            if (groups.Count > 0 || uid.Length > 0 || extra.Count > 0)
                throw ApiException.BadRequest("impersonating groups, a uid or extra values requires impersonating a user (Impersonate-User)");
            return user;
        }

        if (name.StartsWith(Authorization.Rbac.RoleBindingSubject.ServiceAccountPrefix, StringComparison.Ordinal)
            && name[Authorization.Rbac.RoleBindingSubject.ServiceAccountPrefix.Length..].Split(':') is [var ns, var sa] && ns.Length > 0 && sa.Length > 0)
        {
            await RequireAsync(user, "", "serviceaccounts", "", sa, ns, token);
            groups.AddRange(["system:serviceaccounts", $"system:serviceaccounts:{ns}"]);
        }
        else
        {
            await RequireAsync(user, "", "users", "", name, "", token);
        }
        foreach (var group in groups.Distinct().ToList())
        {
            if (!group.StartsWith("system:serviceaccounts", StringComparison.Ordinal) || !name.StartsWith(Authorization.Rbac.RoleBindingSubject.ServiceAccountPrefix, StringComparison.Ordinal))
                await RequireAsync(user, "", "groups", "", group, "", token);
        }
        if (uid.Length > 0)
            await RequireAsync(user, "authentication.k8s.io", "uids", "", uid, "", token);
        foreach (var (key, values) in extra)
        {
            foreach (var value in values)
                await RequireAsync(user, "authentication.k8s.io", "userextras", key, value, "", token);
        }
        var impersonated = new UserInfo(name, [.. groups.Distinct()]) { Uid = uid, Extra = extra };
        return name == UserInfo.AnonymousName ? impersonated : impersonated.Authenticated();
    }

    private async ValueTask RequireAsync(UserInfo user, string group, string resource, string subresource, string name, string ns, CancellationToken token)
    {
        var attributes = new AuthorizationAttributes(user, "impersonate")
        {
            IsResourceRequest = true,
            ApiGroup = group,
            Resource = resource,
            Subresource = subresource,
            Name = name,
            Namespace = ns,
        };
        var result = await authorizer.AuthorizeAsync(attributes, token);
        if (result.Decision != Decision.Allow)
            throw ForbiddenMessages.For(attributes, result.Reason);
    }
}
