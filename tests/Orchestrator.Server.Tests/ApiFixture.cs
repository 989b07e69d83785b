using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Testing;

namespace Orchestrator.Server.Tests;

/// <summary>One 3-replica cluster for a test class, with raw HTTPS clients to each replica.</summary>
public sealed class ApiFixture : IAsyncLifetime
{
    private readonly List<HttpClient> clients = [];

    public ApiCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cluster = await ApiCluster.StartAsync(3);
        foreach (var replica in Cluster.Replicas)
            clients.Add(Cluster.CreateHttpClient(replica));
    }

    public async Task DisposeAsync()
    {
        foreach (var client in clients)
            client.Dispose();
        if (Cluster is not null)
            await Cluster.DisposeAsync();
    }

    /// <summary>The client of replica 1, 2 or 3.</summary>
    public HttpClient Client(int replica) => clients[replica - 1];

    public async Task<(HttpStatusCode Code, JsonNode? Body, HttpResponseMessage Response)> SendAsync(
        int replica, HttpMethod method, string path, JsonNode? body = null, string contentType = "application/json", string? accept = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, contentType);
        if (accept is not null)
            request.Headers.Accept.ParseAdd(accept);
        var response = await Client(replica).SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? json = null;
        if (text.Length > 0 && response.Content.Headers.ContentType?.MediaType == "application/json")
            json = JsonNode.Parse(text);
        return (response.StatusCode, json, response);
    }

    public async Task<JsonNode> OkAsync(int replica, HttpMethod method, string path, JsonNode? body = null, string contentType = "application/json")
    {
        var (code, json, _) = await SendAsync(replica, method, path, body, contentType);
        Assert.True((int)code is >= 200 and < 300, $"{method} {path} on replica {replica}: {(int)code} {json?.ToJsonString()}");
        return json!;
    }

    /// <summary>
    /// A fresh namespace for one test, returned once the controllers have put in it what every namespace holds (the
    /// kube-root-ca.crt ConfigMap), as kube's e2e framework waits, so a test's lists and watches start from a quiet one.
    /// </summary>
    public async Task<string> NamespaceAsync()
    {
        var name = $"t{Guid.NewGuid():N}"[..12];
        await OkAsync(1, HttpMethod.Post, "/api/v1/namespaces", new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } });
        await Eventually.HoldsAsync(async () => (await SendAsync(1, HttpMethod.Get, $"/api/v1/namespaces/{name}/configmaps/{RootCaConfigMap}")).Code == HttpStatusCode.OK,
            TimeSpan.FromSeconds(30), () => $"no {RootCaConfigMap} in namespace {name}");
        return name;
    }

    /// <summary>The ConfigMap the root-CA publisher keeps in every namespace.</summary>
    public const string RootCaConfigMap = "kube-root-ca.crt";

    public static JsonObject ConfigMap(string name, string value = "v", JsonObject? labels = null) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = labels ?? new JsonObject() },
        ["data"] = new JsonObject { ["key"] = value },
    };
}

/// <summary>Reads a watch stream line by line.</summary>
public sealed class WatchReader : IAsyncDisposable
{
    private readonly HttpResponseMessage response;
    private readonly StreamReader reader;

    private WatchReader(HttpResponseMessage response, StreamReader reader)
    {
        this.response = response;
        this.reader = reader;
    }

    public static async Task<WatchReader> OpenAsync(HttpClient client, string path)
    {
        var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, path), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new WatchReader(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    /// <summary>The next event, or null when the stream ended; fails the test after the timeout.</summary>
    public async Task<JsonObject?> NextAsync(TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        var line = await reader.ReadLineAsync(deadline.Token);
        return line is null ? null : (JsonObject)JsonNode.Parse(line)!;
    }

    public async ValueTask DisposeAsync()
    {
        reader.Dispose();
        response.Dispose();
        await Task.CompletedTask;
    }
}
