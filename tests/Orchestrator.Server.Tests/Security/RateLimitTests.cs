using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Testing;
using Xunit;

namespace Orchestrator.Server.Tests.Security;

/// <summary>
/// Per-user limits hold cluster-wide: a user spreading 60 creates over three replicas within one minute gets exactly
/// the 50 of its write budget and 429s after, every response carrying the X-RateLimit-* headers; its other budgets,
/// its watches and the controllers are untouched.
/// </summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private const string ConfigMaps = "/api/v1/namespaces/default/configmaps";
    private ApiCluster cluster = null!;

    public async Task InitializeAsync() => cluster = await ApiCluster.StartAsync(3);

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    [Fact]
    public async Task Sixty_creates_over_three_replicas_get_exactly_fifty_through()
    {
        using var admin = cluster.CreateHttpClient(cluster.Replicas[0]);
        await PostAsync(admin, "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings", new JsonObject
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1",
            ["kind"] = "RoleBinding",
            ["metadata"] = new JsonObject { ["name"] = "alice-edit" },
            ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = "edit" },
            ["subjects"] = new JsonArray(new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "User", ["name"] = "alice" }),
        }, HttpStatusCode.Created);
        var alice = cluster.Replicas.Select(r => cluster.CreateHttpClient(r, "alice", [])).ToList();
        try
        {
            // Windows are whole clock minutes: start early in one so the 60 requests fall in a single window.
            var windowEnd = await StartOfAFreshWindowAsync(TimeSpan.FromSeconds(40));

            var answers = new List<(HttpStatusCode Code, long Limit, long Remaining, long Reset, TimeSpan? RetryAfter, JsonNode? Body)>();
            for (var i = 0; i < 60; i++)
            {
                using var response = await SendAsync(alice[i % 3], HttpMethod.Post, ConfigMaps, ConfigMap($"limited-{i}"));
                answers.Add((response.StatusCode, Header(response, "X-RateLimit-Limit"), Header(response, "X-RateLimit-Remaining"),
                    Header(response, "X-RateLimit-Reset"), response.Headers.RetryAfter?.Delta, JsonNode.Parse(await response.Content.ReadAsStringAsync())));
            }

            for (var i = 0; i < 60; i++)
            {
                var (code, limit, remaining, reset, retryAfter, body) = answers[i];
                var what = $"request {i}: {(int)code} {body?.ToJsonString()}";
                Assert.True(code == (i < 50 ? HttpStatusCode.Created : HttpStatusCode.TooManyRequests), what);
                Assert.Equal(50, limit);
                Assert.Equal(i < 50 ? 49 - i : 0, remaining);
                Assert.Equal(windowEnd.ToUnixTimeSeconds(), reset);
                if (i < 50)
                    continue;
                Assert.Equal("Status", (string?)body!["kind"]);
                Assert.Equal("TooManyRequests", (string?)body["reason"]);
                Assert.Equal(429, (int?)body["code"]);
                Assert.Contains("\"alice\"", (string?)body["message"]);
                Assert.NotNull(retryAfter);
                Assert.InRange(retryAfter!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(61));
            }

            // Exactly the granted creates are stored.
            using (var list = await admin.GetAsync(ConfigMaps))
            {
                var names = JsonNode.Parse(await list.Content.ReadAsStringAsync())!["items"]!.AsArray()
                    .Select(item => (string?)item!["metadata"]!["name"]).Where(n => n!.StartsWith("limited-", StringComparison.Ordinal)).ToList();
                Assert.Equal(50, names.Count);
            }

            // Reads draw from their own budget; watches are not counted at all.
            using (var read = await SendAsync(alice[1], HttpMethod.Get, $"{ConfigMaps}/limited-0"))
            {
                Assert.Equal(HttpStatusCode.OK, read.StatusCode);
                Assert.Equal(1000, Header(read, "X-RateLimit-Limit"));
                Assert.Equal(999, Header(read, "X-RateLimit-Remaining"));
            }
            using (var watch = await SendAsync(alice[2], HttpMethod.Get, $"{ConfigMaps}?watch=true&timeoutSeconds=1"))
            {
                Assert.Equal(HttpStatusCode.OK, watch.StatusCode);
                Assert.False(watch.Headers.Contains("X-RateLimit-Limit"));
            }

            // The control plane is not throttled by a user's spent budget: a deployment still gets its pods.
            await PostAsync(admin, "/apis/apps/v1/namespaces/default/deployments", TestDeployments.Busybox("after-limit", 3), HttpStatusCode.Created);
            await Eventually.HoldsAsync(async () =>
            {
                using var pods = await admin.GetAsync("/api/v1/namespaces/default/pods?labelSelector=app%3Dafter-limit");
                return JsonNode.Parse(await pods.Content.ReadAsStringAsync())!["items"]!.AsArray().Count == 3;
            }, TimeSpan.FromSeconds(60));
        }
        finally
        {
            foreach (var client in alice)
                client.Dispose();
        }
    }

    /// <summary>Waits, if needed, until the current clock minute has at least <paramref name="room"/> left; returns its end.</summary>
    private static async Task<DateTimeOffset> StartOfAFreshWindowAsync(TimeSpan room)
    {
        var now = DateTimeOffset.UtcNow;
        var end = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddMinutes(1);
        if (end - now >= room)
            return end;
        await Task.Delay(end - now + TimeSpan.FromMilliseconds(200));
        return end.AddMinutes(1);
    }

    private static long Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? long.Parse(values.Single()) : -1;

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, JsonObject? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        return await client.SendAsync(request);
    }

    private static async Task PostAsync(HttpClient client, string path, JsonObject body, HttpStatusCode expected)
    {
        using var response = await SendAsync(client, HttpMethod.Post, path, body);
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static JsonObject ConfigMap(string name) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["data"] = new JsonObject { ["k"] = "v" },
    };
}
