using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Chaos.History;
using Orchestrator.Testing;

namespace Orchestrator.Chaos.Workloads;

/// <summary>
/// What every workload shares: one HTTPS client per replica (admin certificate, short timeout), the recorder, and
/// recorded reads and writes of ConfigMaps in the chaos namespace with their outcomes classified.
/// </summary>
public sealed class ApiClients : IDisposable
{
    public const string Namespace = "chaos";
    private static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(5);
    private readonly List<HttpClient> http = [];

    public ApiClients(ApiCluster cluster, Recorder recorder)
    {
        Recorder = recorder;
        foreach (var replica in cluster.Replicas)
        {
            var client = cluster.CreateHttpClient(replica);
            client.Timeout = OperationTimeout;
            http.Add(client);
        }
    }

    public Recorder Recorder { get; }

    public int Replicas => http.Count;

    public HttpClient this[int replica] => http[replica];

    public static string PathOf(string key) => $"/api/v1/namespaces/{Namespace}/configmaps/{key}";

    /// <summary>An HTTP client without the short per-operation timeout, for watches.</summary>
    public HttpClient CreateLongClient(ApiCluster cluster, int replica)
    {
        var client = cluster.CreateHttpClient(cluster.Replicas[replica]);
        client.Timeout = Timeout.InfiniteTimeSpan;
        return client;
    }

    /// <summary>A recorded GET of one key: the ConfigMap's data field <paramref name="field"/>, null when absent.</summary>
    public async Task<(bool Ok, string? Value, string? Version)> ReadAsync(string workload, int process, int replica, string key, string field)
    {
        var invoke = Recorder.Now;
        string? value = null, version = null, error = null;
        var outcome = Outcome.Fail;
        try
        {
            using var response = await http[replica].GetAsync(PathOf(key), CancellationToken.None);
            var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var obj = JsonNode.Parse(body)!;
                value = obj["data"]?[field]?.GetValue<string>();
                version = obj["metadata"]?["resourceVersion"]?.GetValue<string>();
                outcome = Outcome.Ok;
            }
            else if (response.StatusCode == HttpStatusCode.NotFound && body.Contains("\"NotFound\""))
                outcome = Outcome.Ok; // absent is a value too
            else
                error = $"{(int)response.StatusCode} {Truncate(body)}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            error = e.GetType().Name + ": " + e.Message;
        }
        // A read that did not return a value tells nothing, whatever the reason: it stays Fail.
        Recorder.Add(new Operation
        {
            Id = Recorder.NextId(), Workload = workload, Process = process, Kind = "read", Key = key, Output = value, Outcome = outcome,
            Invoke = invoke, Complete = Recorder.Now, Replica = replica + 1, Error = error,
        });
        return (outcome == Outcome.Ok, value, version);
    }

    /// <summary>
    /// A recorded write of one key's data field: an update with the resourceVersion of the read that saw
    /// <paramref name="expected"/> (a compare-and-set), or a create when <paramref name="version"/> is null.
    /// </summary>
    public async Task<Outcome> WriteAsync(string workload, string kind, int process, int replica, string key, string field,
        string? expected, string? version, string value)
    {
        var invoke = Recorder.Now;
        var metadata = new JsonObject { ["name"] = key, ["namespace"] = Namespace };
        if (version is not null)
            metadata["resourceVersion"] = version;
        var body = new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = metadata,
            ["data"] = new JsonObject { [field] = value },
        };
        Outcome outcome;
        string? error = null;
        long? revision = null;
        try
        {
            using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            using var response = version is null
                ? await http[replica].PostAsync($"/api/v1/namespaces/{Namespace}/configmaps", content, CancellationToken.None)
                : await http[replica].PutAsync(PathOf(key), content, CancellationToken.None);
            outcome = ClientOutcomes.OfStatus(response.StatusCode);
            var text = await response.Content.ReadAsStringAsync(CancellationToken.None);
            if (outcome == Outcome.Ok)
                revision = long.Parse(JsonNode.Parse(text)!["metadata"]!["resourceVersion"]!.GetValue<string>());
            else
                error = $"{(int)response.StatusCode} {Truncate(text)}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            (outcome, error) = (ClientOutcomes.OfException(e), e.GetType().Name + ": " + e.Message);
        }
        Recorder.Add(new Operation
        {
            Id = Recorder.NextId(), Workload = workload, Process = process, Kind = kind, Key = key, Expected = expected, Value = value,
            Outcome = outcome, Invoke = invoke, Complete = Recorder.Now, Replica = replica + 1, Error = error, Revision = revision,
        });
        return outcome;
    }

    /// <summary>Set-up writes retried on any replica until they succeed or already had (409).</summary>
    public async Task SendUntilAsync(HttpMethod method, string path, JsonNode body, CancellationToken token)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
                using var response = await http[attempt % http.Count].SendAsync(new HttpRequestMessage(method, path) { Content = content }, token);
                if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.Conflict)
                    return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !token.IsCancellationRequested && DateTime.UtcNow < deadline)
            {
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{method} {path} did not succeed within 60 s");
            await Task.Delay(200, token);
        }
    }

    public Task CreateNamespaceAsync(string name, CancellationToken token) =>
        SendUntilAsync(HttpMethod.Post, "/api/v1/namespaces", new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } }, token);

    public static string Truncate(string text) => text.Length <= 200 ? text : text[..200];

    public void Dispose()
    {
        foreach (var client in http)
            client.Dispose();
    }
}
