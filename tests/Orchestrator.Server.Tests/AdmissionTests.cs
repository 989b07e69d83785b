using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Testing;
using Xunit;

namespace Orchestrator.Server.Tests;

/// <summary>
/// max-requests-inflight: with room for one mutating request per replica, concurrent writes beyond it are refused at
/// once with 429, Retry-After and a TooManyRequests Status, the rest succeed, and health checks still answer.
/// </summary>
public sealed class AdmissionTests : IAsyncLifetime
{
    private ApiCluster cluster = null!;

    public async Task InitializeAsync() =>
        cluster = await ApiCluster.StartAsync(1, serverArgs: ["--max-mutating-requests-inflight", "1", "--controllers", "false"]);

    public async Task DisposeAsync()
    {
        if (cluster is not null)
            await cluster.DisposeAsync();
    }

    [Fact]
    public async Task Writes_over_the_inflight_limit_get_429_with_retry_after_and_health_checks_still_answer()
    {
        using var client = cluster.CreateHttpClient(cluster.Replicas[0]);
        // One HTTP/2 connection, opened first: the 40 writes then arrive together as streams, not spread out by handshakes.
        client.DefaultRequestVersion = HttpVersion.Version20;
        client.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        using (var warm = await client.GetAsync("/api/v1/namespaces/default"))
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        // The one slot can be held through a whole burst by a write of the replica's own (its apiserver lease, the
        // kubernetes service): then nothing gets in and the burst is tried again; a round with no write admitted stores nothing.
        (HttpStatusCode StatusCode, TimeSpan? Delta, JsonNode? Body)[] answers = [];
        for (var round = 0; round < 10 && !answers.Any(a => a.StatusCode == HttpStatusCode.Created); round++)
        answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/namespaces/default/configmaps")
            {
                Content = new StringContent(
                    new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = $"c{round}-{i}" } }.ToJsonString(),
                    Encoding.UTF8, "application/json"),
            };
            using var response = await client.SendAsync(request);
            return (response.StatusCode, response.Headers.RetryAfter?.Delta, Body: JsonNode.Parse(await response.Content.ReadAsStringAsync()));
        }));

        var refused = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(refused);
        Assert.Contains(answers, a => a.StatusCode == HttpStatusCode.Created);
        Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.Created or HttpStatusCode.TooManyRequests, $"{(int)a.StatusCode} {a.Body?.ToJsonString()}"));
        Assert.All(refused, a =>
        {
            Assert.Equal(TimeSpan.FromSeconds(1), a.Delta);
            Assert.Equal("Status", (string?)a.Body!["kind"]);
            Assert.Equal("TooManyRequests", (string?)a.Body["reason"]);
            Assert.Equal(429, (int?)a.Body["code"]);
        });

        // Nothing refused was stored; everything created was.
        using var list = await client.GetAsync("/api/v1/namespaces/default/configmaps");
        var items = JsonNode.Parse(await list.Content.ReadAsStringAsync())!["items"]!.AsArray();
        Assert.Equal(answers.Count(a => a.StatusCode == HttpStatusCode.Created), items.Count(i => ((string?)i!["metadata"]!["name"])!.StartsWith('c')));

        // Health and metrics are not counted against the limit.
        using var ready = await client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var metrics = await client.GetStringAsync("/metrics");
        Assert.Contains("orchestrator_apiserver_dropped_requests_total", metrics);
        Assert.Contains("orchestrator_apiserver_requests_by_user_total", metrics);
    }
}
