namespace Orchestrator.Node.Network;

/// <summary>The node's pod network: a bridge holding the range's first address, pods on veth pairs behind it.</summary>
public sealed record PodNetworkOptions
{
    /// <summary>Linux interface name (at most 15 characters), e.g. orch0.</summary>
    public required string BridgeName { get; init; }

    /// <summary>The node's pod CIDR, e.g. 10.88.0.0/24.</summary>
    public required string PodCidr { get; init; }

    /// <summary>Where address reservations are kept (one file per address); must survive agent restarts.</summary>
    public required string StateDirectory { get; init; }

    /// <summary>Prefix of network namespace names (/var/run/netns/&lt;prefix&gt;&lt;pod&gt;), so agents and tests never clash.</summary>
    public string NamespacePrefix { get; init; } = "orch-";

    public string IpPath { get; init; } = "ip";

    public int Mtu { get; init; } = 1500;
}

/// <summary>A pod's place on the network: what the agent reports as status.podIP and passes to containers as their netns.</summary>
public sealed record PodNetworkAttachment(
    string PodId,
    string NamespaceName,
    string NamespacePath,
    System.Net.IPAddress Address,
    int PrefixLength,
    System.Net.IPAddress Gateway,
    string HostInterface);
