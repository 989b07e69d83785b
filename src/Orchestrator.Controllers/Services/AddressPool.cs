using System.Net;
using System.Net.Sockets;

namespace Orchestrator.Controllers.Services;

/// <summary>The IPv4 addresses of a CIDR block, without its network and broadcast addresses (for blocks larger than /31).</summary>
internal sealed class AddressPool
{
    private readonly uint first;
    private readonly uint last;

    public AddressPool(string cidr)
    {
        var slash = cidr.IndexOf('/');
        if (slash < 0 || !IPAddress.TryParse(cidr[..slash], out var network) || network.AddressFamily != AddressFamily.InterNetwork
            || !int.TryParse(cidr[(slash + 1)..], out var bits) || bits is < 0 or > 32)
            throw new ArgumentException($"not an IPv4 CIDR: {cidr}", nameof(cidr));
        var mask = bits == 0 ? 0u : uint.MaxValue << (32 - bits);
        var start = ToUInt(network) & mask;
        var end = start | ~mask;
        (first, last) = bits >= 31 ? (start, end) : (start + 1, end - 1);
    }

    public long Count => (long)last - first + 1;

    public IEnumerable<string> Addresses()
    {
        for (var value = (ulong)first; value <= last; value++)
            yield return ToAddress((uint)value);
    }

    private static uint ToUInt(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        return (uint)bytes[0] << 24 | (uint)bytes[1] << 16 | (uint)bytes[2] << 8 | bytes[3];
    }

    private static string ToAddress(uint value) => $"{value >> 24}.{(value >> 16) & 255}.{(value >> 8) & 255}.{value & 255}";
}
