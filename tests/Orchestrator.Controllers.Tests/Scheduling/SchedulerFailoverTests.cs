using System.Text.Json.Nodes;
using Orchestrator.Client;
using Orchestrator.Node.Simulated;
using Orchestrator.Testing;
using Xunit.Abstractions;
using static Orchestrator.Controllers.Tests.TestObjects;

namespace Orchestrator.Controllers.Tests.Scheduling;

/// <summary>Scheduling goes on after the replica holding the scheduler lease is killed.</summary>
public sealed class SchedulerFailoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly ControlPlaneCluster cluster = new();

    public Task InitializeAsync() => cluster.InitializeAsync();

    public Task DisposeAsync() => cluster.DisposeAsync();

    [Fact]
    public async Task SchedulerKeepsWorkingAfterItsReplicaIsKilled()
    {
        string? holder = null;
        await Eventually.HoldsAsync(async () =>
        {
            var lease = await cluster.Client(1).GetAsync(ApiResource.Leases, "kube-system", "orchestrator-scheduler");
            holder = lease.Str("spec", "holderIdentity");
            return !string.IsNullOrEmpty(holder);
        }, TimeSpan.FromSeconds(30));
        var victim = cluster.Cluster.Replicas.Single(r => holder!.EndsWith(r.RaftEndpoint, StringComparison.Ordinal));
        var survivor = cluster.Cluster.Replicas.First(r => r != victim);
        var client = cluster.ClientOf(survivor);
        await using var nodes = await SimulatedNodes.StartAsync(client, 2, new SimulatedNodeOptions { NamePrefix = "fo", LeaseRenewInterval = TimeSpan.FromSeconds(1) });
        var ns = await NamespaceAsync(client, "failover");
        await client.CreateAsync(ApiResource.Pods, ns, Pod("before", cpu: "100m"));
        await WaitPodAsync(client, ns, "before", IsRunningAndReady);

        victim.Kill();
        var killed = System.Diagnostics.Stopwatch.StartNew();
        await client.CreateAsync(ApiResource.Pods, ns, Pod("after", cpu: "100m"));
        var pod = await WaitPodAsync(client, ns, "after", IsRunningAndReady, seconds: 60);
        output.WriteLine($"pod created after killing {holder} ran on {NodeOf(pod)} after {killed.Elapsed.TotalSeconds:F1} s");
        Assert.StartsWith("fo-", NodeOf(pod));
    }
}
