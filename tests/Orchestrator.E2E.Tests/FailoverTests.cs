using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Testing;

namespace Orchestrator.E2E.Tests;

/// <summary>kubectl through a leader failure, and what a client gets when no leader can be elected.</summary>
public sealed class FailoverTests : IAsyncLifetime
{
    private ApiCluster cluster = null!;
    private Kubectl kubectl = null!;

    public async Task InitializeAsync()
    {
        cluster = await ApiCluster.StartAsync(3);
        kubectl = Kubectl.For(cluster);
    }

    public async Task DisposeAsync()
    {
        if (cluster is not null)
            await cluster.DisposeAsync();
    }

    [Fact]
    public async Task KubectlWritesKeepSucceedingAcrossALeaderKill()
    {
        var leader = await cluster.LeaderAsync();
        var survivors = cluster.Replicas.Where(r => r != leader).ToList();
        const int writes = 24;
        for (var i = 0; i < writes; i++)
        {
            if (i == 8)
                leader.Kill(); // kill -9 in the middle of the loop
            var through = survivors[i % 2];
            var result = await kubectl.RunAsync(cluster.ContextOf(through), "create", "configmap", $"loop-{i}", $"--from-literal=i={i}");
            Assert.True(result.Succeeded, $"write {i} through replica {through.Ordinal} after the leader was killed: {result}");
        }
        foreach (var survivor in survivors)
        {
            var names = await kubectl.RunAsync(cluster.ContextOf(survivor), "get", "configmaps", "-o", "name");
            Assert.True(names.Succeeded, names.ToString());
            var found = names.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(n => n.StartsWith("configmap/loop-", StringComparison.Ordinal)).ToHashSet();
            Assert.Equal(Enumerable.Range(0, writes).Select(i => $"configmap/loop-{i}").ToHashSet(), found);
        }
        var newLeader = await cluster.LeaderAsync();
        Assert.NotEqual(leader, newLeader);
    }

    [Fact]
    public async Task WithoutQuorumAWriteWaitsThenGets503WithRetryAfter()
    {
        var kept = cluster.Replicas[0];
        foreach (var replica in cluster.Replicas.Skip(1))
            replica.Kill();
        using var client = cluster.CreateHttpClient(kept);
        var body = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = "noquorum" } };
        var started = DateTime.UtcNow;
        using var response = await client.PostAsync("/api/v1/namespaces/default/configmaps",
            new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var waited = DateTime.UtcNow - started;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(response.Headers.RetryAfter is not null, "503 must carry Retry-After");
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("Status", (string?)status["kind"]);
        Assert.Equal("ServiceUnavailable", (string?)status["reason"]);
        Assert.Equal(503, (int?)status["code"]);
        // It waited for a leader (bounded) instead of failing at once.
        Assert.True(waited > TimeSpan.FromSeconds(2), $"answered after {waited}");

        using var ready = await client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        using var live = await client.GetAsync("/livez");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }
}
