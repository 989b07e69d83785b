namespace Orchestrator.Server.Http;

/// <summary>
/// What a resource URL names, parsed the way kube-apiserver's RequestInfoFactory does:
/// /api/v1[/namespaces/{ns}]/{resource}[/{name}[/{subresource}]] and /apis/{group}/{version}/...
/// </summary>
public sealed record RequestInfo(
    string Group,
    string Version,
    string Resource,
    string? Namespace,
    string? Name,
    string? Subresource,
    string Verb)
{
    /// <summary>Subresources of the namespace object itself, not resources inside a namespace.</summary>
    private static readonly HashSet<string> NamespaceSubresources = ["status", "finalize"];

    /// <summary>Parses a resource path; null when the path is not a resource path (discovery, unknown).</summary>
    public static RequestInfo? Parse(string method, string path, bool watch)
    {
        var parts = path.Trim('/').Split('/', StringSplitOptions.None);
        if (parts.Any(p => p.Length == 0))
            return null;
        string group, version;
        int rest;
        if (parts[0] == "api" && parts.Length >= 3)
        {
            (group, version, rest) = ("", parts[1], 2);
        }
        else if (parts[0] == "apis" && parts.Length >= 4)
        {
            (group, version, rest) = (parts[1], parts[2], 3);
        }
        else
        {
            return null;
        }

        var remaining = parts[rest..];
        string? ns = null;
        // /namespaces/{ns}/{resource}/...: a resource inside a namespace. /namespaces/{name}[/status|/finalize]
        // is the (cluster-scoped) namespace object itself.
        if (remaining[0] == "namespaces" && remaining.Length > 2 && !NamespaceSubresources.Contains(remaining[2]))
        {
            ns = remaining[1];
            remaining = remaining[2..];
        }
        if (remaining.Length > 3)
            return null;

        var resource = remaining[0];
        var name = remaining.Length > 1 ? remaining[1] : null;
        var subresource = remaining.Length > 2 ? remaining[2] : null;
        var verb = (method, name, watch) switch
        {
            ("GET" or "HEAD", null, true) => "watch",
            ("GET" or "HEAD", null, false) => "list",
            ("GET" or "HEAD", _, true) => "watch",
            ("GET" or "HEAD", _, false) => "get",
            ("POST", _, _) => "create",
            ("PUT", _, _) => "update",
            ("PATCH", _, _) => "patch",
            ("DELETE", null, _) => "deletecollection",
            ("DELETE", _, _) => "delete",
            _ => method.ToLowerInvariant(),
        };
        return new RequestInfo(group, version, resource, ns, name, subresource, verb);
    }
}
