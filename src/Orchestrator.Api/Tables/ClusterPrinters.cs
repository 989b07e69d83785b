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
        (obj, now) => new JsonArray(Fields.Name(obj), Fields.Str(obj, "status", "phase"), Fields.Age(obj, now)));

    public static TablePrinter Lease { get; } = new(
        [CommonColumns.Name, CommonColumns.Text("Holder", "holderIdentity contains the identity of the holder of a current lease."), CommonColumns.Age],
        (obj, now) => new JsonArray(Fields.Name(obj), Fields.Str(obj, "spec", "holderIdentity"), Fields.Age(obj, now)));

    private static JsonArray NodeCells(JsonObject node, DateTimeOffset now)
    {
        JsonNode? info = Fields.At(node, "status", "nodeInfo");
        return new JsonArray(
            Fields.Name(node),
            NodeStatus(node),
            NodeRoles(node),
            Fields.Age(node, now),
            Fields.Str(info, "kubeletVersion"),
            Address(node, "InternalIP"),
            Address(node, "ExternalIP"),
            OrUnknown(Fields.Str(info, "osImage")),
            OrUnknown(Fields.Str(info, "kernelVersion")),
            OrUnknown(Fields.Str(info, "containerRuntimeVersion")));
    }

    /// <summary>"Ready", "NotReady" or "Unknown" (no Ready condition), plus ",SchedulingDisabled" when cordoned.</summary>
    internal static string NodeStatus(JsonObject node)
    {
        // kube keeps the last condition of a type when a list repeats it.
        JsonObject? ready = Fields.Objects(node, "status", "conditions").LastOrDefault(c => Fields.Str(c, "type") == "Ready");
        string status = ready is null ? "Unknown" : Fields.Str(ready, "status") == "True" ? "Ready" : "NotReady";
        return Fields.Bool(node, "spec", "unschedulable") == true ? status + ",SchedulingDisabled" : status;
    }

    /// <summary>Sorted roles from node-role.kubernetes.io/&lt;role&gt; and kubernetes.io/role=&lt;role&gt; labels.</summary>
    private static string NodeRoles(JsonObject node)
    {
        var roles = new SortedSet<string>(StringComparer.Ordinal);
        foreach ((string key, JsonNode? value) in Fields.Obj(node, "metadata", "labels") ?? [])
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
        Fields.Objects(node, "status", "addresses").FirstOrDefault(a => Fields.Str(a, "type") == type) is { } address
            ? Fields.Str(address, "address")
            : LabelFormat.None;

    private static string OrUnknown(string value) => value.Length == 0 ? HumanDuration.Unknown : value;
}
