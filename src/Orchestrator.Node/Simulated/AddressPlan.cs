using System.Net;

namespace Orchestrator.Node.Simulated;

/// <summary>
/// Fake addresses: node i has InternalIP 172.16.0.0/12 + i + 1 and pod CIDR 10.(64 + i / 256).(i % 256).0/24,
/// which is room for 48k nodes of 253 pods each without overlap.
/// </summary>
public static class AddressPlan
{
    public const int MaxNodes = 192 * 256;

    public static string NodeAddress(int index)
    {
        var n = index + 1;
        return new IPAddress([172, (byte)(16 + (n >> 16)), (byte)((n >> 8) & 255), (byte)(n & 255)]).ToString();
    }

    public static string PodCidr(int index) => $"10.{64 + index / 256}.{index % 256}.0/24";

    public static string PodAddress(int index, int host) => $"10.{64 + index / 256}.{index % 256}.{host}";
}
