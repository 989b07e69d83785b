using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Orchestrator.Client;
using Orchestrator.Testing;

namespace Orchestrator.Server.Tests.Hosting;

/// <summary>
/// 3 replicas whose identity leases last 6 s (renewed every 2 s), so a stopped replica leaves the kubernetes Endpoints
/// quickly; shorter leases let a replica stalled by a loaded test machine drop out for a moment.
/// </summary>
public sealed class ShortLeaseCluster : IAsyncLifetime
{
    public const int LeaseSeconds = 6;

    public ApiCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Cluster = await ApiCluster.StartAsync(3, serverArgs: ["--apiserver-lease-duration", LeaseSeconds.ToString()]);

    public async Task DisposeAsync()
    {
        if (Cluster is not null)
            await Cluster.DisposeAsync();
    }

    public Task<KubeClient> ClientAsync(ReplicaProcess replica) => KubeClient.FromKubeconfigAsync(Cluster.KubeconfigPath, Cluster.ContextOf(replica));
}

/// <summary>The kubernetes Service in default and its Endpoints, kept by the replicas from their identity leases.</summary>
public sealed class KubernetesServiceTests(ShortLeaseCluster fixture, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<ShortLeaseCluster>
{
    private static readonly ApiResource Endpoints = new("", "v1", "endpoints", true);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private ApiCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task TheServiceHasTheFirstAddressAndItsEndpointsListEveryReplica()
    {
        using var client = await fixture.ClientAsync(Cluster.Replicas[0]);
        JsonObject? service = null;
        await Eventually.HoldsAsync(async () => (service = await client.GetAsync(ApiResource.Services, "default", "kubernetes")) is not null, Patience);
        Assert.Equal("10.96.0.1", (string?)service!["spec"]!["clusterIP"]);
        Assert.Equal("apiserver", (string?)service["metadata"]!["labels"]!["component"]);
        Assert.Equal("kubernetes", (string?)service["metadata"]!["labels"]!["provider"]);
        Assert.Null(service["spec"]!["selector"]);
        var port = Assert.Single(service["spec"]!["ports"]!.AsArray())!;
        Assert.Equal("https", (string?)port["name"]);
        Assert.Equal(443, (int)port["port"]!);
        Assert.Equal("TCP", (string?)port["protocol"]);
        Assert.Contains((int)port["targetPort"]!, Cluster.Replicas.Select(r => IPEndPoint.Parse(r.ApiEndpoint).Port));

        await WaitListedAsync(client, Cluster.Replicas, Patience);
        var endpoints = await client.GetAsync(Endpoints, "default", "kubernetes");
        Assert.Equal("true", (string?)endpoints["metadata"]!["labels"]!["endpointslice.kubernetes.io/skip-mirror"]);
        Assert.All(endpoints["subsets"]!.AsArray(), s => Assert.Equal("https", (string?)s!["ports"]![0]!["name"]));

        // Nobody else gets the address, even by asking for it.
        var taken = await Assert.ThrowsAsync<KubeApiException>(() => client.CreateAsync(ApiResource.Services, "default", JsonNode.Parse("""
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"wants-first"},"spec":{"clusterIP":"10.96.0.1","ports":[{"port":80}]}}
            """)!.AsObject()));
        Assert.Equal(422, taken.Code);

        // The endpoints controller runs too: it must leave a selector-less service's Endpoints alone (it would delete
        // them for want of pods, and the replicas make a new object, with a new uid).
        await Task.Delay(TimeSpan.FromSeconds(ShortLeaseCluster.LeaseSeconds));
        var later = await client.GetAsync(Endpoints, "default", "kubernetes");
        Assert.Equal((string?)endpoints["metadata"]!["uid"], (string?)later["metadata"]!["uid"]);
        Assert.NotEmpty(Listed(later));
    }

    [Fact]
    public async Task AStoppedReplicaLeavesTheEndpointsAndComesBackWhenRestarted()
    {
        using var client = await fixture.ClientAsync(Cluster.Replicas[0]);
        await WaitListedAsync(client, Cluster.Replicas, Patience);

        var stopped = Cluster.Replicas[2];
        var watch = Stopwatch.StartNew();
        stopped.Kill();
        // Lease (6 s) + a round of the others (2 s) + slack for an election and a loaded machine.
        await WaitListedAsync(client, Cluster.Replicas.Where(r => r != stopped), TimeSpan.FromSeconds(25));
        output.WriteLine($"killed replica left the Endpoints after {watch.Elapsed.TotalSeconds:F1} s (lease {ShortLeaseCluster.LeaseSeconds} s)");

        Cluster.Restart(stopped);
        await Cluster.WaitReadyAsync([stopped]);
        watch.Restart();
        await WaitListedAsync(client, Cluster.Replicas, Patience);
        output.WriteLine($"restarted replica listed {watch.Elapsed.TotalSeconds:F1} s after it was ready");
    }

    private static async Task WaitListedAsync(KubeClient client, IEnumerable<ReplicaProcess> replicas, TimeSpan timeout)
    {
        var expected = Expected(replicas);
        var seen = new HashSet<string>();
        await Eventually.HoldsAsync(async () =>
        {
            seen = Listed(await client.GetAsync(Endpoints, "default", "kubernetes"));
            return seen.SetEquals(expected);
        }, timeout, () => $"expected {string.Join(", ", expected)}; listed {string.Join(", ", seen)}");
    }

    private static HashSet<string> Expected(IEnumerable<ReplicaProcess> replicas) => [.. replicas.Select(r => r.ApiEndpoint)];

    /// <summary>Every address:port pair the Endpoints name.</summary>
    private static HashSet<string> Listed(JsonObject endpoints) =>
    [
        .. (endpoints["subsets"] as JsonArray ?? []).OfType<JsonObject>().SelectMany(s =>
            (s["addresses"] as JsonArray ?? []).Select(a => (string?)a!["ip"])
            .SelectMany(ip => (s["ports"] as JsonArray ?? []).Select(p => $"{ip}:{(int)p!["port"]!}"))),
    ];
}
