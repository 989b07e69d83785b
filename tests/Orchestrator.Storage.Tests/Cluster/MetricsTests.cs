using System.Net;
using System.Text.RegularExpressions;
using Orchestrator.Testing;
using Xunit;

namespace Orchestrator.Storage.Tests.Cluster;

public sealed class MetricsTests
{
    private static async Task<string> ScrapeAsync(ReplicaProcess replica)
    {
        using var http = replica.CreatePeerHttpClient();
        http.DefaultRequestVersion = HttpVersion.Version20;
        http.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        return await http.GetStringAsync("/metrics");
    }

    private static double Value(string text, string series)
    {
        var match = Regex.Match(text, "^" + Regex.Escape(series) + @"(\{[^}]*\})? ([0-9.eE+-]+)", RegexOptions.Multiline);
        Assert.True(match.Success, $"{series} not exported:\n{text}");
        return double.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task ConsensusMetricsAreExportedInPrometheusFormat()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        for (var i = 0; i < 20; i++)
            await TestCluster.PutAsync(cluster.Replicas[i % 3], $"/registry/core/configmaps/default/m{i}", "v");
        var leader = await cluster.LeaderAsync();

        var text = "";
        await Eventually.HoldsAsync(async () =>
        {
            text = await ScrapeAsync(leader);
            return Value(text, "orchestrator_raft_is_leader") == 1
                && Value(text, "orchestrator_raft_commit_index") >= 20
                && Value(text, "orchestrator_raft_applied_index") >= 20
                && Value(text, "orchestrator_raft_proposal_duration_seconds_count") > 0
                && Value(text, "orchestrator_wal_fsync_duration_seconds_count") > 0
                && text.Contains("orchestrator_raft_follower_lag_entries{", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(15), () => text);

        var follower = cluster.Replicas.First(r => r != leader);
        var followerText = await ScrapeAsync(follower);
        Assert.Equal(0, Value(followerText, "orchestrator_raft_is_leader"));
        Assert.Equal(1, Value(followerText, "orchestrator_raft_has_leader"));
        Assert.True(Value(followerText, "orchestrator_raft_term") >= 1);
        Assert.True(Value(followerText, "orchestrator_raft_forwarded_commands_total") >= 1);
    }
}
