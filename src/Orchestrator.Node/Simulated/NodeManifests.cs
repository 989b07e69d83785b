using System.Globalization;
using System.Text.Json.Nodes;

namespace Orchestrator.Node.Simulated;

/// <summary>The Node and Lease objects a simulated kubelet registers, and its Ready node conditions.</summary>
public static class NodeManifests
{
    public const string LeaseNamespace = "kube-node-lease";

    public static JsonObject Node(SimulatedNode node, SimulatedNodeOptions options, DateTimeOffset now)
    {
        var labels = new JsonObject
        {
            ["kubernetes.io/hostname"] = node.Name,
            ["kubernetes.io/os"] = "linux",
            ["kubernetes.io/arch"] = "amd64",
            ["type"] = "simulated",
        };
        foreach (var (key, value) in options.Labels)
            labels[key] = value;
        var resources = new JsonObject { ["cpu"] = options.Cpu, ["memory"] = options.Memory, ["pods"] = options.Pods };
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject { ["name"] = node.Name, ["labels"] = labels },
            ["spec"] = new JsonObject
            {
                ["podCIDR"] = AddressPlan.PodCidr(node.Index),
                ["podCIDRs"] = new JsonArray(AddressPlan.PodCidr(node.Index)),
            },
            ["status"] = new JsonObject
            {
                ["capacity"] = resources.DeepClone(),
                ["allocatable"] = resources,
                ["conditions"] = Conditions(now),
                ["addresses"] = new JsonArray(
                    new JsonObject { ["type"] = "InternalIP", ["address"] = node.Address },
                    new JsonObject { ["type"] = "Hostname", ["address"] = node.Name }),
                ["daemonEndpoints"] = new JsonObject { ["kubeletEndpoint"] = new JsonObject { ["Port"] = 10250 } },
                ["nodeInfo"] = new JsonObject
                {
                    ["machineID"] = Id(node.Name, "machine"),
                    ["systemUUID"] = Id(node.Name, "system"),
                    ["bootID"] = Id(node.Name, "boot"),
                    ["kernelVersion"] = "6.1.0-simulated",
                    ["osImage"] = "Simulated",
                    ["containerRuntimeVersion"] = "simulated://1.0.0",
                    ["kubeletVersion"] = options.KubeletVersion,
                    ["kubeProxyVersion"] = options.KubeletVersion,
                    ["operatingSystem"] = "linux",
                    ["architecture"] = "amd64",
                },
                ["phase"] = "Running",
            },
        };
    }

    /// <summary>What a healthy kubelet reports: Ready, and no pressure.</summary>
    public static JsonArray Conditions(DateTimeOffset now)
    {
        var stamp = Json.Timestamp(now);
        JsonObject Condition(string type, string status, string reason, string message) => new()
        {
            ["type"] = type,
            ["status"] = status,
            ["lastHeartbeatTime"] = stamp,
            ["lastTransitionTime"] = stamp,
            ["reason"] = reason,
            ["message"] = message,
        };
        return
        [
            Condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
            Condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
            Condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
            Condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
        ];
    }

    public static JsonObject Lease(SimulatedNode node, string nodeUid, SimulatedNodeOptions options, DateTimeOffset now) => new()
    {
        ["apiVersion"] = "coordination.k8s.io/v1",
        ["kind"] = "Lease",
        ["metadata"] = new JsonObject
        {
            ["name"] = node.Name,
            ["namespace"] = LeaseNamespace,
            ["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Node",
                ["name"] = node.Name,
                ["uid"] = nodeUid,
            }),
        },
        ["spec"] = new JsonObject
        {
            ["holderIdentity"] = node.Name,
            ["leaseDurationSeconds"] = options.LeaseDurationSeconds,
            ["renewTime"] = MicroTime(now),
        },
    };

    /// <summary>metav1.MicroTime, as leases carry it.</summary>
    public static string MicroTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static string Id(string name, string purpose) =>
        Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(purpose + "/" + name)));
}
