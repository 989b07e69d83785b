using System.Text;
using Orchestrator.Api.Registry;

namespace Orchestrator.Client;

/// <summary>
/// Which collection a request addresses: the four facts needed to build every REST path, so one code
/// path serves built-in kinds and custom resources alike.
/// </summary>
public sealed record ApiResource(string Group, string Version, string Plural, bool Namespaced)
{
    public static ApiResource Pods { get; } = new("", "v1", "pods", true);
    public static ApiResource ConfigMaps { get; } = new("", "v1", "configmaps", true);
    public static ApiResource Secrets { get; } = new("", "v1", "secrets", true);
    public static ApiResource Services { get; } = new("", "v1", "services", true);
    public static ApiResource Namespaces { get; } = new("", "v1", "namespaces", false);
    public static ApiResource Nodes { get; } = new("", "v1", "nodes", false);
    public static ApiResource Events { get; } = new("", "v1", "events", true);
    public static ApiResource ReplicationControllers { get; } = new("", "v1", "replicationcontrollers", true);
    public static ApiResource Deployments { get; } = new("apps", "v1", "deployments", true);
    public static ApiResource ReplicaSets { get; } = new("apps", "v1", "replicasets", true);
    public static ApiResource Leases { get; } = new("coordination.k8s.io", "v1", "leases", true);

    public static ApiResource From(ResourceDefinition definition) =>
        new(definition.Group, definition.Version, definition.Plural, definition.Namespaced);

    /// <summary>/api/v1 for the core group, /apis/group/version otherwise.</summary>
    public string GroupVersionPath => Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";

    /// <summary>The collection path; a null namespace on a namespaced resource lists across all namespaces.</summary>
    public string CollectionPath(string? ns)
    {
        var path = new StringBuilder(GroupVersionPath);
        if (Namespaced && !string.IsNullOrEmpty(ns))
            path.Append("/namespaces/").Append(Uri.EscapeDataString(ns));
        return path.Append('/').Append(Plural).ToString();
    }

    public string ItemPath(string? ns, string name, string? subresource = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (Namespaced && string.IsNullOrEmpty(ns))
            throw new ArgumentException($"{Plural} are namespaced: a namespace is required", nameof(ns));
        var path = CollectionPath(ns) + "/" + Uri.EscapeDataString(name);
        return subresource is null ? path : path + "/" + subresource;
    }

    public override string ToString() => Group.Length == 0 ? $"{Plural}.{Version}" : $"{Plural}.{Version}.{Group}";
}
