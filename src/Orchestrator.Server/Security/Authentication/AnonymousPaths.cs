namespace Orchestrator.Server.Security.Authentication;

/// <summary>
/// Where a request without credentials is served as system:anonymous: health, version and discovery, as kube's
/// AuthenticationConfiguration `anonymous.conditions` would list them, the dashboard page, and kube-public's cluster-info (what a joining
/// machine checks the CA against; RBAC still decides). Everything else wants a credential (401).
/// </summary>
public static class AnonymousPaths
{
    private static readonly HashSet<string> Exact =
        ["/healthz", "/livez", "/readyz", "/version", "/api", "/apis", "/dashboard", "/api/v1/namespaces/kube-public/configmaps/cluster-info"];

    public static bool Allows(string path)
    {
        var trimmed = path.Length > 1 ? path.TrimEnd('/') : path;
        if (Exact.Contains(trimmed))
            return true;
        var parts = trimmed.Trim('/').Split('/');
        // Discovery documents of a group or group version (/api/v1, /apis/apps, /apis/apps/v1), not resources.
        return parts is ["api", _] or ["apis", _] or ["apis", _, _];
    }
}
