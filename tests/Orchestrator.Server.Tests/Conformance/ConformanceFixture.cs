using System.Net;
using System.Text.Json.Nodes;

namespace Orchestrator.Server.Tests.Conformance;

/// <summary>One 3-replica cluster for the whole suite, and the custom resource definition made on first use.</summary>
public sealed class ConformanceFixture : IAsyncLifetime
{
    private readonly SemaphoreSlim widgetsGate = new(1, 1);
    private Exception? widgetsFailure;
    private bool widgetsReady;

    public ApiFixture Api { get; } = new();

    public Task InitializeAsync() => Api.InitializeAsync();

    public Task DisposeAsync() => Api.DisposeAsync();

    /// <summary>Makes what a kind needs before its first object: for widgets, the CRD (once; a failure fails every widget case).</summary>
    public async Task PrepareAsync(Target target)
    {
        if (target.Key != KindTable.Widgets)
            return;
        await widgetsGate.WaitAsync();
        try
        {
            if (widgetsFailure is not null)
                throw new InvalidOperationException($"the {WidgetDefinition.Name} CRD could not be made: {widgetsFailure.Message}", widgetsFailure);
            if (widgetsReady)
                return;
            try
            {
                await WidgetDefinition.CreateAsync(Api);
                widgetsReady = true;
            }
            catch (Exception e)
            {
                widgetsFailure = e;
                throw;
            }
        }
        finally
        {
            widgetsGate.Release();
        }
    }

    /// <summary>A fresh namespace for a namespaced kind, null for a cluster-scoped one.</summary>
    public async Task<string?> NamespaceAsync(Target target) => target.Namespaced ? await Api.NamespaceAsync() : null;

    /// <summary>A name no other test uses (cluster-scoped kinds share one name space).</summary>
    public static string UniqueName(Target target, string hint = "c") => target.Fixture.Name($"{hint}{Guid.NewGuid():N}"[..12]);

    public Task<(HttpStatusCode Code, JsonNode? Body, HttpResponseMessage Response)> SendAsync(
        int replica, HttpMethod method, string path, JsonNode? body = null, string contentType = "application/json") =>
        Api.SendAsync(replica, method, path, body, contentType);

    /// <summary>Creates the table's object through a replica and returns what the server answered (201 asserted).</summary>
    public async Task<JsonObject> CreateAsync(int replica, Target target, string? ns, string name, JsonObject? labels = null)
    {
        foreach (var (collection, companion) in target.Fixture.Companions(name, ns))
            await Api.OkAsync(replica, HttpMethod.Post, collection, companion);
        var manifest = target.Fixture.Make(name, ns);
        if (labels is not null)
            manifest["metadata"]!["labels"] = labels;
        var (code, body, _) = await SendAsync(replica, HttpMethod.Post, target.Collection(ns), manifest);
        Assert.True(code == HttpStatusCode.Created, $"POST {target.Collection(ns)} ({target.Kind} {name}) on replica {replica}: expected 201, got {(int)code} {body?.ToJsonString()}");
        return (JsonObject)body!;
    }

    /// <summary>
    /// GET, change, PUT with the read resourceVersion; a 409 from a controller writing in between is retried (5 times at most).
    /// </summary>
    public async Task<(HttpStatusCode Code, JsonNode? Body)> UpdateAsync(int replica, string path, Func<JsonObject, JsonObject> change, string query = "")
    {
        (HttpStatusCode Code, JsonNode? Body) last = default;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var current = (JsonObject)await Api.OkAsync(replica, HttpMethod.Get, path);
            var (code, body, _) = await SendAsync(replica, HttpMethod.Put, path + query, change(current));
            last = (code, body);
            if (code != HttpStatusCode.Conflict)
                return last;
        }
        return last;
    }

    /// <summary>Asserts a Kubernetes Status error with this code (and reason, when given).</summary>
    public static void AssertStatus(JsonNode? body, HttpStatusCode actual, HttpStatusCode expected, string? reason, string what)
    {
        Assert.True(actual == expected, $"{what}: expected {(int)expected} {reason}, got {(int)actual} {body?.ToJsonString()}");
        Assert.True((string?)body?["kind"] == "Status" && (string?)body?["apiVersion"] == "v1",
            $"{what}: expected a v1 Status body, got {body?.ToJsonString() ?? "(no JSON body)"}");
        Assert.Equal("Failure", (string?)body!["status"]);
        Assert.Equal((int)expected, (int?)body["code"]);
        if (reason is not null)
            Assert.True((string?)body["reason"] == reason, $"{what}: expected reason {reason}, got {body.ToJsonString()}");
    }
}

/// <summary>Runs the independent checks of one step and reports every one that failed, not only the first.</summary>
public sealed class Checks(Target target)
{
    private readonly List<string> failures = [];

    public async Task RunAsync(string name, Func<Task> check)
    {
        try
        {
            await check();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            failures.Add($"[{target.Key}] {name}: {e.Message}");
        }
    }

    public void Verify() => Assert.True(failures.Count == 0, string.Join("\n", failures));
}
