using Orchestrator.Server.Security;
using Orchestrator.Testing;

namespace Orchestrator.Deploy.Tests;

/// <summary>
/// A real Prometheus scraping a real 3-replica cluster with the shipped rules: the consensus metrics arrive, and
/// killing the leader again and again makes the frequent-leader-changes alert fire.
/// </summary>
public sealed class PrometheusMonitoringTests : IAsyncLifetime
{
    private ApiCluster cluster = null!;
    private PrometheusProcess prometheus = null!;

    public async Task InitializeAsync()
    {
        cluster = await ApiCluster.StartAsync(3);
        prometheus = PrometheusProcess.Start(cluster.Replicas.Select(r => r.ApiEndpoint), cluster.PkiDirectory);
    }

    public async Task DisposeAsync()
    {
        if (prometheus is not null)
            await prometheus.DisposeAsync();
        await cluster.DisposeAsync();
    }

    [Fact]
    public async Task ScrapesConsensusMetricsAndAlertsOnLeaderChanges()
    {
        await Eventually.HoldsAsync(async () => await SumAsync("up{job=\"orchestrator\"}") == 3, TimeSpan.FromSeconds(60), () => prometheus.Output);
        await Eventually.HoldsAsync(async () =>
            await SumAsync("orchestrator_raft_is_leader") == 1
            && await SumAsync("orchestrator_raft_has_leader") == 3
            && (await prometheus.QueryAsync("orchestrator_raft_commit_index")).Count == 3
            && (await prometheus.QueryAsync("orchestrator_raft_applied_index")).Count == 3
            && (await prometheus.QueryAsync("orchestrator_wal_fsync_duration_seconds_count")).Count == 3,
            TimeSpan.FromSeconds(30), () => prometheus.Output);
        Assert.DoesNotContain("OrchestratorFrequentLeaderChanges", await prometheus.FiringAlertsAsync());

        // Four leaders killed in turn (each restarted before the next): the survivors count more than 3 changes.
        for (var round = 0; round < 4; round++)
        {
            var leader = await cluster.LeaderAsync(TimeSpan.FromSeconds(30));
            leader.Kill();
            await cluster.LeaderAsync(TimeSpan.FromSeconds(30));
            cluster.Restart(leader);
            await cluster.WaitReadyAsync([leader]);
        }
        await Eventually.HoldsAsync(async () => (await prometheus.FiringAlertsAsync()).Contains("OrchestratorFrequentLeaderChanges"),
            TimeSpan.FromSeconds(60), () => string.Join(", ", prometheus.FiringAlertsAsync().Result) + "\n" + prometheus.Output);
        var term = await prometheus.QueryAsync("max(orchestrator_raft_term)");
        Assert.True(term.Single().Value >= 5, $"term {term.Single().Value} after four elections");
    }

    private async Task<double> SumAsync(string promql)
    {
        var result = await prometheus.QueryAsync($"sum({promql})");
        return result.Count == 0 ? 0 : result[0].Value;
    }
}
