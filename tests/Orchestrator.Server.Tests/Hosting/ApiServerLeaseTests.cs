using System.Net;
using System.Text.Json.Nodes;
using Orchestrator.Server.Hosting;

namespace Orchestrator.Server.Tests.Hosting;

/// <summary>Which replicas the kubernetes Endpoints list, from their identity leases, without a cluster.</summary>
public sealed class ApiServerLeaseTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    private static JsonObject Lease(string address, DateTimeOffset renewed, TimeSpan? duration = null) =>
        ApiServerLease.Renewed(null, "apiserver-x", "holder", "host", IPEndPoint.Parse(address), duration ?? TimeSpan.FromSeconds(15), renewed);

    [Theory]
    [InlineData(0, true)]
    [InlineData(14, true)]
    [InlineData(15, false)] // expired exactly at renewTime + duration
    [InlineData(60, false)]
    public void ALeaseCountsUntilItsDurationHasPassed(int secondsSinceRenewal, bool live)
    {
        var addresses = ApiServerLease.LiveAddresses([Lease("10.0.0.1:6443", Now.AddSeconds(-secondsSinceRenewal))], Now);
        Assert.Equal(live ? 1 : 0, addresses.Count);
    }

    [Fact]
    public void LeasesWithoutAnAddressOrBeingDeletedAreSkipped()
    {
        var noAddress = Lease("10.0.0.1:6443", Now);
        noAddress["metadata"]!["annotations"] = new JsonObject();
        var deleting = Lease("10.0.0.2:6443", Now);
        deleting["metadata"]!["deletionTimestamp"] = "2026-12-04T12:00:00Z";
        Assert.Empty(ApiServerLease.LiveAddresses([noAddress, deleting], Now));
    }

    [Fact]
    public void TheOrderDoesNotDependOnTheListOrder()
    {
        JsonObject[] leases = [Lease("127.0.0.1:7003", Now), Lease("127.0.0.1:7001", Now), Lease("127.0.0.1:7002", Now)];
        var forward = ApiServerLease.LiveAddresses(leases, Now);
        var backward = ApiServerLease.LiveAddresses(leases.Reverse(), Now);
        Assert.Equal(["127.0.0.1:7001", "127.0.0.1:7002", "127.0.0.1:7003"], forward.Select(a => a.ToString()));
        Assert.Equal(forward, backward);
    }

    [Fact]
    public void RenewingKeepsTheResourceVersionAndAcquireTimeOfTheSameHolder()
    {
        var first = Lease("10.0.0.1:6443", Now);
        first["metadata"]!["resourceVersion"] = "42";
        var renewed = ApiServerLease.Renewed(first, "apiserver-x", "holder", "host", IPEndPoint.Parse("10.0.0.1:6443"), TimeSpan.FromSeconds(15), Now.AddSeconds(5));
        Assert.Equal("42", (string?)renewed["metadata"]!["resourceVersion"]);
        Assert.Equal((string?)first["spec"]!["acquireTime"], (string?)renewed["spec"]!["acquireTime"]);
        Assert.NotEqual((string?)first["spec"]!["renewTime"], (string?)renewed["spec"]!["renewTime"]);
        Assert.Equal("kube-apiserver", (string?)renewed["metadata"]!["labels"]![ApiServerLease.IdentityLabel]);

        var restarted = ApiServerLease.Renewed(first, "apiserver-x", "holder-2", "host", IPEndPoint.Parse("10.0.0.1:6443"), TimeSpan.FromSeconds(15), Now.AddSeconds(5));
        Assert.Equal((string?)restarted["spec"]!["renewTime"], (string?)restarted["spec"]!["acquireTime"]);
    }

    [Fact]
    public void ReplicasSharingAHostGetTheirOwnLeaseNames()
    {
        var a = ApiServerLease.NameFor("host", IPEndPoint.Parse("127.0.0.1:7001"));
        var b = ApiServerLease.NameFor("host", IPEndPoint.Parse("127.0.0.1:7002"));
        Assert.NotEqual(a, b);
        Assert.Equal(a, ApiServerLease.NameFor("host", IPEndPoint.Parse("127.0.0.1:7001")));
        Assert.StartsWith("apiserver-", a);
    }

    [Fact]
    public void OneSubsetPerPortWithItsAddressesSorted()
    {
        var subsets = KubernetesServiceObjects.Subsets([.. new[] { "10.0.0.2:6443", "10.0.0.1:6443", "127.0.0.1:7001" }.Select(IPEndPoint.Parse)]);
        Assert.Equal(2, subsets.Count);
        var byPort = subsets.OfType<JsonObject>().ToDictionary(s => (int)s["ports"]![0]!["port"]!, s => s["addresses"]!.AsArray().Select(a => (string?)a!["ip"]).ToList());
        Assert.Equal(["10.0.0.1", "10.0.0.2"], byPort[6443]);
        Assert.Equal(["127.0.0.1"], byPort[7001]);
        Assert.All(subsets, s => Assert.Equal("https", (string?)s!["ports"]![0]!["name"]));
    }

    [Fact]
    public void OnlyLeasesExpiredForAnHourAreAbandoned()
    {
        var expiredLongAgo = Lease("10.0.0.1:6443", Now - ApiServerLease.DeleteAfter - TimeSpan.FromSeconds(15));
        var expiredRecently = Lease("10.0.0.2:6443", Now - TimeSpan.FromMinutes(30));
        var live = Lease("10.0.0.3:6443", Now);
        var abandoned = ApiServerLease.Abandoned([expiredLongAgo, expiredRecently, live], Now).ToList();
        Assert.Same(expiredLongAgo, Assert.Single(abandoned));
    }
}
