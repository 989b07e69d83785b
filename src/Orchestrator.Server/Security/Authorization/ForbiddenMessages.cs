using Orchestrator.Api.Errors;
using Orchestrator.Api.Schema;

namespace Orchestrator.Server.Security.Authorization;

/// <summary>kube-apiserver's 403 for a denied request, word for word (responsewriters.Forbidden).</summary>
public static class ForbiddenMessages
{
    public static ApiException For(AuthorizationAttributes a, string reason)
    {
        var user = a.User.Name;
        var because = reason.Length > 0 ? $": {reason}" : "";
        if (!a.IsResourceRequest)
        {
            return new ApiException(Status.Failed(403, StatusReasons.Forbidden,
                $"forbidden: User \"{user}\" cannot {a.Verb} path \"{a.Path}\"{because}", new StatusDetails()));
        }
        var scope = a.Namespace.Length > 0 ? $"in the namespace \"{a.Namespace}\"" : "at the cluster scope";
        var sentence = $"User \"{user}\" cannot {a.Verb} resource \"{a.ResourcePath}\" in API group \"{a.ApiGroup}\" {scope}{because}";
        return ApiException.Forbidden(new GroupResource(a.ApiGroup, a.Resource), a.Name, sentence);
    }
}
