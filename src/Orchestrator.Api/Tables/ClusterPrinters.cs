using System.Text.Json.Nodes;

namespace Orchestrator.Api.Tables;

/// <summary>Cluster-level rows: Node, Namespace, and coordination.k8s.io Lease.</summary>
internal static class ClusterPrinters
{
    private const string NodeRolePrefix = "node-role.kubernetes.io/";
    private const string LegacyRoleLabel = "kubernetes.io/role";

    public static TablePrinter Node { get; } = new(
        [
            CommonColumns.Name,
            CommonColumns.Text("Status", "The status of the node"),
            CommonColumns.Text("Roles", "The roles of the node"),
            CommonColumns.Age,
            CommonColumns.Text("Version", "Kubelet Version reported by the node."),
            CommonColumns.Wide("Internal-IP", "List of addresses reachable to the node."),
            CommonColumns.Wide("External-IP", "List of addresses reachable to the node."),
            CommonColumns.Wide("OS-Image", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy))."),
            CommonColumns.Wide("Kernel-Version", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."),
            CommonColumns.Wide("Container-Runtime", "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2)."),
        ],
        NodeCells);

    public static TablePrinter Namespace { get; } = new(
        [CommonColumns.Name, CommonColumns.Text("Status", "The status of the namespace"), CommonColumns.Age],
        (obj, now) => new JsonArray(obj.Name(), obj.Str("status", "phase") ?? "", HumanDuration.Since(obj.Created(), now)));

    public static TablePrinter Lease { get; } = new(
        [CommonColumns.Name, CommonColumns.Text("Holder", "holderIdentity contains the identity of the holder of a current lease."), CommonColumns.Age],
        (obj, now) => new JsonArray(obj.Name(), obj.Str("spec", "holderIdentity") ?? "", HumanDuration.Since(obj.Created(), now)));

    private static JsonArray NodeCells(JsonObject node, DateTimeOffset now)
    {
        JsonNode? info = node.At("status", "nodeInfo");
        return new JsonArray(
            node.Name(),
            NodeStatus(node),
            NodeRoles(node),
            HumanDuration.Since(node.Created(), now),
            info.Str("kubeletVersion") ?? "",
            Address(node, "InternalIP"),
            Address(node, "ExternalIP"),
            OrUnknown(info.Str("osImage") ?? ""),
            OrUnknown(info.Str("kernelVersion") ?? ""),
            OrUnknown(info.Str("containerRuntimeVersion") ?? ""));
    }

    /// <summary>"Ready", "NotReady" or "Unknown" (no Ready condition), plus ",SchedulingDisabled" when cordoned.</summary>
    internal static string NodeStatus(JsonObject node)
    {
        // kube keeps the last condition of a type when a list repeats it.
        JsonObject? ready = node.Items("status", "conditions").LastOrDefault(c => c.Str("type") == "Ready");
        string status = ready is null ? "Unknown" : ready.Str("status") == "True" ? "Ready" : "NotReady";
        return node.Bool("spec", "unschedulable") == true ? status + ",SchedulingDisabled" : status;
    }

    /// <summary>Sorted roles from node-role.kubernetes.io/&lt;role&gt; and kubernetes.io/role=&lt;role&gt; labels.</summary>
    private static string NodeRoles(JsonObject node)
    {
        var roles = new SortedSet<string>(StringComparer.Ordinal);
        foreach ((string key, JsonNode? value) in node.Obj("metadata", "labels") ?? [])
        {
            if (key.StartsWith(NodeRolePrefix, StringComparison.Ordinal) && key.Length > NodeRolePrefix.Length)
            {
                roles.Add(key[NodeRolePrefix.Length..]);
            }
            else if (key == LegacyRoleLabel && value is JsonValue v && v.TryGetValue(out string? role) && role.Length > 0)
            {
                roles.Add(role);
            }
        }

        return roles.Count == 0 ? LabelFormat.None : string.Join(",", roles);
    }

    private static string Address(JsonObject node, string type) =>
        node.Items("status", "addresses").FirstOrDefault(a => (a.Str("type") ?? "") == type) is { } address
            ? (address.Str("address") ?? "")
            : LabelFormat.None;

    private static string OrUnknown(string value) => value.Length == 0 ? HumanDuration.Unknown : value;
}
