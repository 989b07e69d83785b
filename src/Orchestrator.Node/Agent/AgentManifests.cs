using System.Globalization;
using System.Text.Json.Nodes;
using Orchestrator.Node.Simulated;

namespace Orchestrator.Node.Agent;

/// <summary>The Node and Lease a real agent registers: capacity and nodeInfo from the machine it runs on.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public static class AgentManifests
{
    public static JsonObject Node(NodeAgentOptions options, HostFacts host, DateTimeOffset now, int serverPort) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Node",
        ["metadata"] = new JsonObject
        {
            ["name"] = options.NodeName,
            ["labels"] = new JsonObject
            {
                ["kubernetes.io/hostname"] = options.NodeName,
                ["kubernetes.io/os"] = "linux",
                ["kubernetes.io/arch"] = host.Architecture,
                ["type"] = "runc",
            },
        },
        ["spec"] = new JsonObject
        {
            ["podCIDR"] = options.PodCidr,
            ["podCIDRs"] = new JsonArray(options.PodCidr),
        },
        ["status"] = Status(options, host, now, serverPort),
    };

    public static JsonObject Status(NodeAgentOptions options, HostFacts host, DateTimeOffset now, int serverPort)
    {
        var resources = new JsonObject
        {
            ["cpu"] = host.Cpus.ToString(CultureInfo.InvariantCulture),
            ["memory"] = (host.MemoryBytes / 1024).ToString(CultureInfo.InvariantCulture) + "Ki",
            ["pods"] = options.MaxPods.ToString(CultureInfo.InvariantCulture),
        };
        return new JsonObject
        {
            ["capacity"] = resources.DeepClone(),
            ["allocatable"] = resources,
            ["conditions"] = NodeManifests.Conditions(now),
            ["addresses"] = new JsonArray(
                new JsonObject { ["type"] = "InternalIP", ["address"] = options.InternalIp },
                new JsonObject { ["type"] = "Hostname", ["address"] = options.NodeName }),
            ["daemonEndpoints"] = new JsonObject { ["kubeletEndpoint"] = new JsonObject { ["Port"] = serverPort } },
            ["nodeInfo"] = new JsonObject
            {
                ["machineID"] = host.MachineId,
                ["systemUUID"] = host.MachineId,
                ["bootID"] = host.BootId,
                ["kernelVersion"] = host.KernelVersion,
                ["osImage"] = host.OsImage,
                ["containerRuntimeVersion"] = "runc://" + host.RuncVersion,
                ["kubeletVersion"] = options.KubeletVersion,
                ["kubeProxyVersion"] = options.KubeletVersion,
                ["operatingSystem"] = "linux",
                ["architecture"] = host.Architecture,
            },
            ["phase"] = "Running",
        };
    }

    public static JsonObject Lease(NodeAgentOptions options, string nodeUid, DateTimeOffset now) => new()
    {
        ["apiVersion"] = "coordination.k8s.io/v1",
        ["kind"] = "Lease",
        ["metadata"] = new JsonObject
        {
            ["name"] = options.NodeName,
            ["namespace"] = NodeManifests.LeaseNamespace,
            ["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Node",
                ["name"] = options.NodeName,
                ["uid"] = nodeUid,
            }),
        },
        ["spec"] = new JsonObject
        {
            ["holderIdentity"] = options.NodeName,
            ["leaseDurationSeconds"] = options.LeaseDurationSeconds,
            ["renewTime"] = NodeManifests.MicroTime(now),
        },
    };
}
