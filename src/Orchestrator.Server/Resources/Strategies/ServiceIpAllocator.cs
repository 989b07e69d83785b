using System.Net;
using System.Numerics;
using System.Text;
using Orchestrator.Api.Errors;

namespace Orchestrator.Server.Resources.Strategies;

/// <summary>
/// Hands out cluster IPs and node ports. Each allocation is a key created through the Raft log
/// (create-if-absent), so two replicas racing for one address cannot both get it: the loser
/// sees AlreadyExists and probes another.
/// </summary>
public sealed class ServiceIpAllocator
{
    public const string IpPrefix = "/registry/ranges/serviceips/";
    public const string PortPrefix = "/registry/ranges/servicenodeports/";
    public const int NodePortMin = 30000;
    public const int NodePortMax = 32767;

    private readonly uint network;
    private readonly uint size;

    public ServiceIpAllocator(string cidr)
    {
        var parts = cidr.Split('/');
        if (parts.Length != 2 || !IPAddress.TryParse(parts[0], out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork
            || !int.TryParse(parts[1], out var bits) || bits is < 8 or > 30)
            throw new ArgumentException($"service range '{cidr}' must be an IPv4 CIDR with a prefix of 8 to 30 bits");
        size = 1u << (32 - bits);
        network = ToUInt(address) & ~(size - 1);
        Cidr = cidr;
    }

    public string Cidr { get; }

    /// <summary>The first usable address, which Kubernetes gives the "kubernetes" service; never handed out at random.</summary>
    public string First => FromUInt(network + 1);

    public bool Contains(string ip) =>
        IPAddress.TryParse(ip, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
        && (ToUInt(address) & ~(size - 1)) == network;

    public async Task<string> AllocateIpAsync(string? requested, string owner, ObjectStore store, CancellationToken token)
    {
        if (!string.IsNullOrEmpty(requested))
        {
            if (!Contains(requested))
                throw Invalid("spec.clusterIPs", requested, $"failed to allocate IP {requested}: the provided IP ({requested}) is not in the valid range. The range of valid IPs is {Cidr}");
            if (!await store.TryCreateRawAsync(IpPrefix + requested, Encoding.UTF8.GetBytes(owner), token))
                throw Invalid("spec.clusterIPs", requested, $"failed to allocate IP {requested}: provided IP is already allocated");
            return requested;
        }
        var used = (await store.ListKeysAsync(IpPrefix, token)).ToHashSet();
        for (var attempt = 0; attempt < 128; attempt++)
        {
            // Skip the network address, the first address (reserved) and the broadcast address.
            var candidate = FromUInt(network + 2 + (uint)Random.Shared.NextInt64(size - 3));
            if (used.Contains(IpPrefix + candidate))
                continue;
            if (await store.TryCreateRawAsync(IpPrefix + candidate, Encoding.UTF8.GetBytes(owner), token))
                return candidate;
            used.Add(IpPrefix + candidate);
        }
        throw ApiException.ServiceUnavailable($"failed to allocate a cluster IP: the range {Cidr} is full");
    }

    public async Task<int> AllocateNodePortAsync(int? requested, string owner, ObjectStore store, CancellationToken token)
    {
        if (requested is int port)
        {
            if (port is < NodePortMin or > NodePortMax)
                throw Invalid("spec.ports[].nodePort", port, $"provided port is not in the valid range. The range of valid ports is {NodePortMin}-{NodePortMax}");
            if (!await store.TryCreateRawAsync(PortPrefix + port, Encoding.UTF8.GetBytes(owner), token))
                throw Invalid("spec.ports[].nodePort", port, "provided port is already allocated");
            return port;
        }
        for (var attempt = 0; attempt < 128; attempt++)
        {
            var candidate = Random.Shared.Next(NodePortMin, NodePortMax + 1);
            if (await store.TryCreateRawAsync(PortPrefix + candidate, Encoding.UTF8.GetBytes(owner), token))
                return candidate;
        }
        throw ApiException.ServiceUnavailable("failed to allocate a node port: the range is full");
    }

    public Task ReleaseIpAsync(string ip, ObjectStore store, CancellationToken token) => store.DeleteRawAsync(IpPrefix + ip, token);

    public Task ReleaseNodePortAsync(long port, ObjectStore store, CancellationToken token) => store.DeleteRawAsync(PortPrefix + port, token);

    private static ApiException Invalid(string field, object value, string detail) =>
        ApiException.Invalid(new("", "Service"), "", [new FieldError(field, FieldErrorType.Invalid, value, detail)]);

    private static uint ToUInt(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        return (uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]);
    }

    private static string FromUInt(uint value) =>
        new IPAddress([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]).ToString();
}
