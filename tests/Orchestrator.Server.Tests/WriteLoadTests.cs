using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Storage.Replication.Grpc;
using Orchestrator.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Orchestrator.Server.Tests;

/// <summary>
/// The write path at full load on one machine: 256 concurrent writers through all three replicas for 20 s. The cluster
/// must degrade, not collapse: no request hangs (each answers within 10 s, a 429 from admission counts as an answer),
/// writes keep succeeding, and afterwards every replica holds the same state at the same revision.
/// </summary>
public sealed class WriteLoadTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Writers = 256;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Slowest = TimeSpan.FromSeconds(10);

    private ApiCluster cluster = null!;
    private readonly List<HttpClient> clients = [];

    public async Task InitializeAsync()
    {
        cluster = await ApiCluster.StartAsync(3);
        foreach (var replica in cluster.Replicas)
        {
            var client = cluster.CreateHttpClient(replica);
            // Longer than the bound asserted on, so a slow answer is measured rather than cut off.
            client.Timeout = TimeSpan.FromSeconds(30);
            clients.Add(client);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var client in clients)
            client.Dispose();
        if (cluster is not null)
            await cluster.DisposeAsync();
    }

    [Fact]
    public async Task Writers_256_for_20s_get_answers_within_10s_and_replicas_converge()
    {
        const string ns = "load";
        await SendAsync(clients[0], HttpMethod.Post, "/api/v1/namespaces",
            new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } });

        var ok = 0;
        var refused = 0;
        var other = new System.Collections.Concurrent.ConcurrentBag<string>();
        var slowestTicks = 0L;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var client = clients[w % clients.Count];
            for (var n = 0; clock.Elapsed < Duration; n++)
            {
                // Creates, then an update of what was created: both write paths, with resourceVersion preconditions.
                var started = Stopwatch.GetTimestamp();
                var (code, body) = await SendAsync(client, HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", ConfigMap($"w{w}-{n}", "1"));
                Record(code, body);
                if (code == HttpStatusCode.Created)
                {
                    var updated = ConfigMap($"w{w}-{n}", "2");
                    updated["metadata"]!["resourceVersion"] = body!["metadata"]!["resourceVersion"]!.GetValue<string>();
                    started = Stopwatch.GetTimestamp();
                    (code, body) = await SendAsync(client, HttpMethod.Put, $"/api/v1/namespaces/{ns}/configmaps/w{w}-{n}", updated);
                    Record(code, body);
                }
                else if (code == HttpStatusCode.TooManyRequests)
                {
                    await Task.Delay(100);
                }

                void Record(HttpStatusCode code, JsonNode? body)
                {
                    var elapsed = Stopwatch.GetElapsedTime(started).Ticks;
                    long seen;
                    while (elapsed > (seen = Interlocked.Read(ref slowestTicks)) && Interlocked.CompareExchange(ref slowestTicks, elapsed, seen) != seen)
                    {
                    }
                    if (code is HttpStatusCode.Created or HttpStatusCode.OK)
                        Interlocked.Increment(ref ok);
                    else if (code == HttpStatusCode.TooManyRequests)
                        Interlocked.Increment(ref refused);
                    else
                        other.Add($"{(int)code} {body?.ToJsonString()}");
                }
            }
        })));
        var slowest = TimeSpan.FromTicks(slowestTicks);
        output.WriteLine($"{ok} writes ok ({ok / Duration.TotalSeconds:F0}/s), {refused} refused with 429, {other.Count} other; slowest answer {slowest.TotalMilliseconds:F0} ms");

        Assert.Empty(other.Take(5));
        Assert.True(ok > Writers, $"only {ok} writes succeeded in {Duration.TotalSeconds} s");
        Assert.True(slowest < Slowest, $"a request took {slowest.TotalSeconds:F1} s");

        // Every replica applies everything committed and holds the same objects at the same revisions.
        var statuses = new List<StatusResponse>();
        await Eventually.HoldsAsync(async () =>
        {
            statuses.Clear();
            foreach (var replica in cluster.Replicas)
                statuses.Add(await replica.Client.StatusAsync(new StatusRequest()));
            return statuses.All(s => s.AppliedIndex == statuses[0].AppliedIndex && s.CommitIndex == s.AppliedIndex);
        }, TimeSpan.FromSeconds(30), () => string.Join(", ", statuses.Select(s => $"{s.Member} applied {s.AppliedIndex} commit {s.CommitIndex}")));
        output.WriteLine($"all replicas at revision {statuses[0].AppliedIndex}");
        var lists = new List<string>();
        foreach (var client in clients)
        {
            var (code, list) = await SendAsync(client, HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps?resourceVersion=0");
            Assert.Equal(HttpStatusCode.OK, code);
            lists.Add(string.Join('\n', list!["items"]!.AsArray()
                .Select(i => $"{i!["metadata"]!["name"]} {i["metadata"]!["resourceVersion"]} {i["data"]!["value"]}")
                .Order(StringComparer.Ordinal)));
        }
        Assert.Equal(lists[0], lists[1]);
        Assert.Equal(lists[0], lists[2]);
    }

    private static JsonObject ConfigMap(string name, string value) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["data"] = new JsonObject { ["value"] = value },
    };

    private static async Task<(HttpStatusCode Code, JsonNode? Body)> SendAsync(HttpClient client, HttpMethod method, string path, JsonNode? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 && text[0] == '{' ? JsonNode.Parse(text) : null);
    }
}
