using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Orchestrator.Node.Runtime;

namespace Orchestrator.Node.Network;

/// <summary>
/// Pod networking the way CNI's bridge plugin does it, with iproute2: a node bridge owning the pod range's
/// first address; per pod a network namespace with lo up and eth0 (one end of a veth pair whose other end
/// is enslaved to the bridge), an address from the range and a default route via the bridge. Pods on the
/// node reach each other through the bridge; nothing is routed off the machine (no NAT, no iptables).
/// </summary>
public sealed partial class PodNetwork
{
    private readonly PodNetworkOptions options;
    private readonly Ipv4Cidr range;
    private readonly IpAllocator addresses;

    public PodNetwork(PodNetworkOptions options)
    {
        if (options.BridgeName.Length is 0 or > 15)
            throw new ArgumentException("a bridge name has 1 to 15 characters", nameof(options));
        this.options = options;
        range = Ipv4Cidr.Parse(options.PodCidr);
        addresses = new IpAllocator(range, Path.Combine(options.StateDirectory, options.BridgeName));
    }

    public Ipv4Cidr Range => range;

    public IpAllocator Addresses => addresses;

    /// <summary>Creates the bridge with the gateway address if missing and brings it up; safe to repeat.</summary>
    public async Task EnsureBridgeAsync(CancellationToken cancellationToken)
    {
        var exists = await Ip(["link", "show", "dev", options.BridgeName], cancellationToken).ConfigureAwait(false);
        if (!exists.Succeeded)
            await IpChecked(["link", "add", "name", options.BridgeName, "mtu", $"{options.Mtu}", "type", "bridge"], cancellationToken).ConfigureAwait(false);
        await IpChecked(["addr", "replace", $"{range.Gateway}/{range.PrefixLength}", "dev", options.BridgeName], cancellationToken).ConfigureAwait(false);
        await IpChecked(["link", "set", "dev", options.BridgeName, "up"], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes the bridge (tests, node decommissioning); pods should be torn down first.</summary>
    public async Task DeleteBridgeAsync(CancellationToken cancellationToken) =>
        await Ip(["link", "del", "dev", options.BridgeName], cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Gives the pod its namespace, eth0 and address. Idempotent: leftovers of an earlier attempt are
    /// removed first, and a pod that already holds an address (agent restart) keeps it.
    /// </summary>
    public async Task<PodNetworkAttachment> SetUpAsync(string podId, CancellationToken cancellationToken)
    {
        var attachment = await DescribeAsync(podId, allocate: true, cancellationToken).ConfigureAwait(false);
        await RemoveInterfacesAsync(attachment, cancellationToken).ConfigureAwait(false);
        try
        {
            var ns = attachment.NamespaceName;
            // Two `ip -batch` runs instead of seven processes: pod start-up time is mostly process spawns.
            // The veth's pod end is created directly inside the namespace, so it never needs a temporary host name.
            await IpBatchAsync(null,
            [
                $"netns add {ns}",
                $"link add {attachment.HostInterface} mtu {options.Mtu} type veth peer name eth0 mtu {options.Mtu} netns {ns}",
                $"link set dev {attachment.HostInterface} master {options.BridgeName} up",
            ], cancellationToken).ConfigureAwait(false);
            await IpBatchAsync(ns,
            [
                "link set dev lo up",
                $"addr add {attachment.Address}/{attachment.PrefixLength} dev eth0",
                "link set dev eth0 up",
                $"route add default via {attachment.Gateway} dev eth0",
            ], cancellationToken).ConfigureAwait(false);
            return attachment;
        }
        catch
        {
            await TearDownAsync(podId, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Removes the pod's veth and namespace and frees its address; a pod with nothing left is fine.</summary>
    public async Task TearDownAsync(string podId, CancellationToken cancellationToken)
    {
        var attachment = await DescribeAsync(podId, allocate: false, cancellationToken).ConfigureAwait(false);
        await RemoveInterfacesAsync(attachment, cancellationToken).ConfigureAwait(false);
        await addresses.ReleaseAsync(podId, cancellationToken).ConfigureAwait(false);
    }

    public string NamespacePath(string podId) => $"/var/run/netns/{NamespaceName(podId)}";

    private string NamespaceName(string podId)
    {
        if (!PodIdPattern().IsMatch(podId))
            throw new ArgumentException($"pod id '{podId}' must match {PodIdPattern()}", nameof(podId));
        return options.NamespacePrefix + podId;
    }

    /// <summary>Interface names are limited to 15 characters, so the host end is named by a hash of the namespace.</summary>
    private static string HostInterfaceName(string namespaceName) =>
        "veth" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(namespaceName)))[..8];

    private async Task<PodNetworkAttachment> DescribeAsync(string podId, bool allocate, CancellationToken cancellationToken)
    {
        var ns = NamespaceName(podId);
        var address = allocate ? await addresses.AllocateAsync(podId, cancellationToken).ConfigureAwait(false) : IPAddress.None;
        return new PodNetworkAttachment(podId, ns, $"/var/run/netns/{ns}", address, range.PrefixLength, range.Gateway, HostInterfaceName(ns));
    }

    private async Task RemoveInterfacesAsync(PodNetworkAttachment attachment, CancellationToken cancellationToken)
    {
        // Deleting either end of a veth pair deletes both; "cannot find device" just means it is already gone.
        await Ip(["link", "del", "dev", attachment.HostInterface], cancellationToken).ConfigureAwait(false);
        if (File.Exists(attachment.NamespacePath))
            await IpChecked(["netns", "del", attachment.NamespaceName], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs iproute2 commands in one process (in namespace <paramref name="ns"/> when given); the first failure stops it.</summary>
    private Task<CommandResult> IpBatchAsync(string? ns, IReadOnlyList<string> commands, CancellationToken cancellationToken) =>
        ExternalCommand.RunCheckedAsync(options.IpPath, ns is null ? ["-batch", "-"] : ["-n", ns, "-batch", "-"], cancellationToken,
            string.Join('\n', commands) + "\n");

    private Task<CommandResult> Ip(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        ExternalCommand.RunAsync(options.IpPath, arguments, cancellationToken);

    private Task<CommandResult> IpChecked(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        ExternalCommand.RunCheckedAsync(options.IpPath, arguments, cancellationToken);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
    private static partial Regex PodIdPattern();
}
