using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Server.Security;
using Orchestrator.Testing;

namespace Orchestrator.Server.Tests.Security;

/// <summary>
/// --audit-log-path on a real replica: every write, allowed or refused, is one audit.k8s.io/v1 Event line naming the
/// user (and whom they impersonated), verb, object and response code; reads are not logged.
/// </summary>
public sealed class AuditLogTests : IAsyncLifetime
{
    private readonly string logDirectory = Path.Combine(Path.GetTempPath(), "orchestrator-tests", $"audit-{Guid.NewGuid():N}");
    private ApiCluster cluster = null!;

    private string LogPath => Path.Combine(logDirectory, "audit.log");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(logDirectory);
        cluster = await ApiCluster.StartAsync(1, serverArgs: ["--audit-log-path", LogPath]);
    }

    public async Task DisposeAsync()
    {
        await cluster.DisposeAsync();
        Directory.Delete(logDirectory, recursive: true);
    }

    [Fact]
    public async Task WritesAreLoggedWithUserVerbObjectAndCode()
    {
        var replica = cluster.Replicas[0];
        using var admin = cluster.CreateHttpClient(replica);
        var name = $"audited-{Guid.NewGuid():N}"[..20];
        using (var create = await admin.PostAsync("/api/v1/namespaces/default/configmaps", Json(new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } })))
        {
            Assert.Equal(HttpStatusCode.Created, create.StatusCode);
            Assert.True(create.Headers.Contains("Audit-Id"));
        }
        using (var read = await admin.GetAsync($"/api/v1/namespaces/default/configmaps/{name}"))
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        using (var delete = await admin.DeleteAsync($"/api/v1/namespaces/default/configmaps/{name}"))
            Assert.Equal(HttpStatusCode.OK, delete.StatusCode);

        using var pki = ClusterPki.LoadOrCreate(cluster.PkiDirectory);
        using var eve = cluster.CreateHttpClient(replica, pki.IssueClientCertificate("eve", ["developers"]), bearerToken: null);
        using (var refused = await eve.PostAsync("/api/v1/namespaces/default/secrets", Json(new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } })))
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using (var impersonating = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/namespaces/default/configmaps/{name}"))
        {
            impersonating.Headers.Add("Impersonate-User", "bob");
            using var response = await admin.SendAsync(impersonating);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        var events = await WaitForEventsAsync(count: 4);
        Assert.DoesNotContain(events, e => e["verb"]!.GetValue<string>() is "get" or "list" or "watch");
        var created = Single(events, "create", "admin", "configmaps");
        Assert.Equal("audit.k8s.io/v1", created["apiVersion"]!.GetValue<string>());
        Assert.Equal("Event", created["kind"]!.GetValue<string>());
        Assert.Equal("Metadata", created["level"]!.GetValue<string>());
        Assert.Equal("ResponseComplete", created["stage"]!.GetValue<string>());
        Assert.Equal(201, created["responseStatus"]!["code"]!.GetValue<int>());
        Assert.Equal("default", created["objectRef"]!["namespace"]!.GetValue<string>());
        Assert.Contains("system:masters", created["user"]!["groups"]!.AsArray().Select(g => g!.GetValue<string>()));
        Assert.Equal("127.0.0.1", created["sourceIPs"]![0]!.GetValue<string>());
        var deleted = Single(events, "delete", "admin", "configmaps");
        Assert.Equal(200, deleted["responseStatus"]!["code"]!.GetValue<int>());
        Assert.Equal(name, deleted["objectRef"]!["name"]!.GetValue<string>());
        Assert.Equal(403, Single(events, "create", "eve", "secrets")["responseStatus"]!["code"]!.GetValue<int>());
        var asBob = events.Single(e => e["impersonatedUser"]?["username"]?.GetValue<string>() == "bob");
        Assert.Equal("admin", asBob["user"]!["username"]!.GetValue<string>());
        Assert.Equal(403, asBob["responseStatus"]!["code"]!.GetValue<int>());
    }

    private static JsonNode Single(List<JsonNode> events, string verb, string user, string resource) =>
        Assert.Single(events, e => e["verb"]!.GetValue<string>() == verb && e["user"]!["username"]!.GetValue<string>() == user
            && e["impersonatedUser"] is null && e["objectRef"]!["resource"]!.GetValue<string>() == resource);

    /// <summary>The log's events of this test's users on ConfigMaps and Secrets, once there are <paramref name="count"/>.</summary>
    private async Task<List<JsonNode>> WaitForEventsAsync(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var events = new List<JsonNode>();
            if (File.Exists(LogPath))
            {
                await using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var reader = new StreamReader(stream);
                while (await reader.ReadLineAsync() is { } line)
                {
                    JsonNode audit;
                    try
                    {
                        audit = JsonNode.Parse(line)!;
                    }
                    catch (System.Text.Json.JsonException)
                    {
                        break; // a line still being written
                    }
                    if (audit["user"]!["username"]!.GetValue<string>() is "admin" or "eve"
                        && audit["objectRef"]!["resource"]!.GetValue<string>() is "configmaps" or "secrets")
                        events.Add(audit);
                }
            }
            if (events.Count >= count || DateTime.UtcNow > deadline)
            {
                Assert.True(events.Count == count, $"{events.Count} audit events, not {count}:\n{string.Join('\n', events)}");
                return events;
            }
            await Task.Delay(200);
        }
    }

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");
}
