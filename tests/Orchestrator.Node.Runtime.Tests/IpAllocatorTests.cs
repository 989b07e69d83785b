using System.Net;
using Orchestrator.Node.Network;
using Xunit;

namespace Orchestrator.Node.Runtime.Tests;

public sealed class IpAllocatorTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("orch-ipam-").FullName;

    [Fact]
    public void A_range_reserves_network_gateway_and_broadcast()
    {
        var range = Ipv4Cidr.Parse("10.250.7.9/29");

        Assert.Equal("10.250.7.8/29", range.ToString());
        Assert.Equal(IPAddress.Parse("10.250.7.9"), range.Gateway);
        Assert.Equal(["10.250.7.10", "10.250.7.11", "10.250.7.12", "10.250.7.13", "10.250.7.14"], range.PodAddresses().Select(a => a.ToString()));
        Assert.Throws<FormatException>(() => Ipv4Cidr.Parse("10.250.7.0"));
    }

    [Fact]
    public async Task Addresses_are_unique_persisted_reused_by_pod_and_freed()
    {
        var range = Ipv4Cidr.Parse("10.250.7.0/30"); // exactly one pod address
        var allocator = new IpAllocator(range, directory);

        var a = await allocator.AllocateAsync("a", CancellationToken.None);
        Assert.Equal(a, await new IpAllocator(range, directory).AllocateAsync("a", CancellationToken.None));
        await Assert.ThrowsAsync<InvalidOperationException>(() => allocator.AllocateAsync("b", CancellationToken.None));

        await allocator.ReleaseAsync("a", CancellationToken.None);
        Assert.Equal(a, await allocator.AllocateAsync("b", CancellationToken.None));
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);
}
