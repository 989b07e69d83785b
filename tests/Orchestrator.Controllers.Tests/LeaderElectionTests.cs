using System.Diagnostics;
using System.Text.Json.Nodes;
using Orchestrator.Client;
using Orchestrator.Testing;
using Xunit.Abstractions;

namespace Orchestrator.Controllers.Tests;

/// <summary>Exactly one replica holds each control-plane lease, and another takes over when it dies.</summary>
public sealed class LeaderElectionTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly ControlPlaneCluster cluster = new();

    public Task InitializeAsync() => cluster.InitializeAsync();

    public Task DisposeAsync() => cluster.DisposeAsync();

    [Theory]
    [InlineData("orchestrator-controller-manager")]
    [InlineData("orchestrator-scheduler")]
    public async Task AnotherReplicaTakesTheLeaseWhenTheHolderIsKilled(string lease)
    {
        var holder = await HolderAsync(lease, except: null);
        var replica = cluster.Cluster.Replicas.Single(r => holder.EndsWith(r.RaftEndpoint, StringComparison.Ordinal));
        var survivor = cluster.Cluster.Replicas.First(r => r != replica);
        var first = await cluster.ClientOf(survivor).GetAsync(ApiResource.Leases, "kube-system", lease);
        var transitions = (int?)first["spec"]!["leaseTransitions"] ?? 0;

        var killed = Stopwatch.StartNew();
        replica.Kill();
        var next = await HolderAsync(lease, except: holder, through: survivor);
        output.WriteLine($"{lease}: {holder} killed; {next} took over after {killed.Elapsed.TotalSeconds:F1} s");
        Assert.NotEqual(holder, next);
        var after = await cluster.ClientOf(survivor).GetAsync(ApiResource.Leases, "kube-system", lease);
        Assert.Equal(transitions + 1, (int?)after["spec"]!["leaseTransitions"]);
        Assert.Equal(3, (int?)after["spec"]!["leaseDurationSeconds"]);
    }

    private async Task<string> HolderAsync(string lease, string? except, ReplicaProcess? through = null)
    {
        var client = through is null ? cluster.Client(1) : cluster.ClientOf(through);
        string? holder = null;
        await Eventually.HoldsAsync(async () =>
        {
            JsonObject obj = await client.GetAsync(ApiResource.Leases, "kube-system", lease);
            holder = (string?)obj["spec"]?["holderIdentity"];
            return !string.IsNullOrEmpty(holder) && holder != except;
        }, TimeSpan.FromSeconds(30));
        return holder!;
    }
}
