using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Orchestrator.Testing;

/// <summary>
/// A TokenReview webhook for tests: answers authenticated for the tokens it was given, not for any other, and counts
/// the reviews it was asked (to see the replica's cache at work).
/// </summary>
public sealed class TestTokenWebhook : IAsyncDisposable
{
    private readonly TestHttpsServer server;
    private readonly ConcurrentDictionary<string, (string User, string[] Groups)> tokens = new(StringComparer.Ordinal);
    private int reviews;

    private TestTokenWebhook(TestHttpsServer server) => this.server = server;

    public int Reviews => Volatile.Read(ref reviews);

    public static async Task<TestTokenWebhook> StartAsync()
    {
        TestTokenWebhook? webhook = null;
        var server = await TestHttpsServer.StartAsync(app => app.MapPost("/review", async (HttpRequest request) =>
            Results.Json(webhook!.Review(await JsonNode.ParseAsync(request.Body)))));
        webhook = new TestTokenWebhook(server);
        return webhook;
    }

    public void Add(string token, string user, params string[] groups) => tokens[token] = (user, groups);

    public void Remove(string token) => tokens.TryRemove(token, out _);

    /// <summary>Writes the kubeconfig-format file a replica's --authentication-token-webhook-config-file names.</summary>
    public void WriteConfig(string path)
    {
        var ca = Convert.ToBase64String(Encoding.UTF8.GetBytes(File.ReadAllText(server.CaFile)));
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: webhook
              cluster:
                server: {server.BaseUrl}/review
                certificate-authority-data: {ca}
            users:
            - name: apiserver
              user: {"{}"}
            contexts:
            - name: webhook
              context: {"{"}cluster: webhook, user: apiserver{"}"}
            current-context: webhook
            """);
    }

    private JsonObject Review(JsonNode? request)
    {
        Interlocked.Increment(ref reviews);
        var token = request?["spec"]?["token"]?.GetValue<string>() ?? "";
        var status = tokens.TryGetValue(token, out var user)
            ? new JsonObject
            {
                ["authenticated"] = true,
                ["user"] = new JsonObject { ["username"] = user.User, ["uid"] = $"uid-{user.User}", ["groups"] = new JsonArray([.. user.Groups.Select(g => (JsonNode)g)]) },
            }
            : new JsonObject { ["authenticated"] = false, ["error"] = "unknown token" };
        return new JsonObject { ["apiVersion"] = "authentication.k8s.io/v1", ["kind"] = "TokenReview", ["status"] = status };
    }

    public ValueTask DisposeAsync() => server.DisposeAsync();
}
