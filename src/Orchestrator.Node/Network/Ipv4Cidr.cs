using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Orchestrator.Node.Network;

/// <summary>An IPv4 range like 10.88.0.0/24: the node's pod CIDR.</summary>
public sealed record Ipv4Cidr(uint Network, int PrefixLength)
{
    public static Ipv4Cidr Parse(string text)
    {
        var slash = text.IndexOf('/');
        if (slash < 0 || !IPAddress.TryParse(text[..slash], out var address) || address.AddressFamily != AddressFamily.InterNetwork
            || !int.TryParse(text[(slash + 1)..], out var prefix) || prefix is < 8 or > 30)
            throw new FormatException($"'{text}' is not an IPv4 CIDR with a prefix between /8 and /30");
        var mask = uint.MaxValue << (32 - prefix);
        return new Ipv4Cidr(ToUInt(address) & mask, prefix);
    }

    /// <summary>Addresses in the range, network and broadcast included.</summary>
    public uint Size => 1u << (32 - PrefixLength);

    /// <summary>The first usable address; it belongs to the bridge and is every pod's default gateway.</summary>
    public IPAddress Gateway => Host(1);

    public IPAddress Host(uint offset) => FromUInt(Network + offset);

    /// <summary>Pod addresses: everything between the gateway and the broadcast address.</summary>
    public IEnumerable<IPAddress> PodAddresses()
    {
        for (uint offset = 2; offset < Size - 1; offset++)
            yield return Host(offset);
    }

    public bool Contains(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetwork && (ToUInt(address) & (uint.MaxValue << (32 - PrefixLength))) == Network;

    public override string ToString() => $"{FromUInt(Network)}/{PrefixLength}";

    private static uint ToUInt(IPAddress address) => BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());

    private static IPAddress FromUInt(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }
}
