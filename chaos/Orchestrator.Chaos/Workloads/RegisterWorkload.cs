using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Chaos.History;
using Orchestrator.Testing;

namespace Orchestrator.Chaos.Workloads;

/// <summary>
/// The register workload through the public Kubernetes API: a few ConfigMaps, each a register (data.value). Every
/// client, bound to one replica, reads a random key (GET) and half the time then writes a value no one else writes
/// (PUT with the resourceVersion of that read: a compare-and-set on what it saw). One operation at a time per client.
/// </summary>
public sealed class RegisterWorkload(ApiCluster cluster, Recorder recorder, int clients, int keys) : IAsyncDisposable
{
    public const string Namespace = "chaos";
    private static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(5);
    private readonly List<HttpClient> http = [];

    public IReadOnlyDictionary<string, string?> Initial { get; private set; } = new Dictionary<string, string?>();

    private static string Path(string key) => $"/api/v1/namespaces/{Namespace}/configmaps/{key}";

    public async Task SetUpAsync(CancellationToken token)
    {
        foreach (var replica in cluster.Replicas)
        {
            var client = cluster.CreateHttpClient(replica);
            client.Timeout = OperationTimeout;
            http.Add(client);
        }
        await SendUntilAsync(HttpMethod.Post, "/api/v1/namespaces", new JsonObject { ["metadata"] = new JsonObject { ["name"] = Namespace } }, token);
        var initial = new Dictionary<string, string?>();
        for (var k = 0; k < keys; k++)
        {
            var key = $"r{k}";
            await SendUntilAsync(HttpMethod.Post, $"/api/v1/namespaces/{Namespace}/configmaps", new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = key },
                ["data"] = new JsonObject { ["value"] = "0" },
            }, token);
            initial[key] = "0";
        }
        Initial = initial;
    }

    public Task RunAsync(CancellationToken token) =>
        Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(() => ClientAsync(c, token), CancellationToken.None)));

    /// <summary>After the faults: every replica reads every key once, so a write lost anywhere shows.</summary>
    public async Task FinalReadsAsync(CancellationToken token)
    {
        for (var r = 0; r < http.Count; r++)
        {
            foreach (var key in Initial.Keys)
                await ReadAsync(clients + r, r, key, token);
        }
    }

    private async Task ClientAsync(int client, CancellationToken token)
    {
        var random = new Random(client * 7919 + 1);
        var replica = client % http.Count;
        var written = 0;
        while (!token.IsCancellationRequested)
        {
            var key = $"r{random.Next(keys)}";
            var (seen, version) = await ReadAsync(client, replica, key, token);
            if (version is null)
            {
                // The replica is down or refusing: do not spin on it (and fill the history with refusals).
                await Task.Delay(100, CancellationToken.None);
                continue;
            }
            if (random.Next(2) == 0 && random.Next(2) == 0 && !token.IsCancellationRequested)
                await CasAsync(client, replica, key, seen, version, $"c{client}-{++written}", token);
        }
    }

    private async Task<(string? Value, string? Version)> ReadAsync(int client, int replica, string key, CancellationToken token)
    {
        var invoke = recorder.Now;
        string? value = null, version = null, error = null;
        Outcome outcome;
        try
        {
            using var response = await http[replica].GetAsync(Path(key), CancellationToken.None);
            outcome = ClientOutcomes.OfStatus(response.StatusCode);
            var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
            if (outcome == Outcome.Ok)
            {
                var obj = JsonNode.Parse(body)!;
                value = obj["data"]?["value"]?.GetValue<string>();
                version = obj["metadata"]?["resourceVersion"]?.GetValue<string>();
            }
            else
            {
                error = $"{(int)response.StatusCode} {Truncate(body)}";
                // A read that did not return a value tells nothing, whatever the reason.
                outcome = Outcome.Fail;
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            (outcome, error) = (Outcome.Fail, e.GetType().Name + ": " + e.Message);
        }
        recorder.Add(new Operation
        {
            Id = recorder.NextId(), Process = client, Kind = "read", Key = key, Output = value, Outcome = outcome,
            Invoke = invoke, Complete = recorder.Now, Replica = replica + 1, Error = error,
        });
        return (value, version);
    }

    private async Task CasAsync(int client, int replica, string key, string? expected, string version, string value, CancellationToken token)
    {
        var invoke = recorder.Now;
        var body = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = key, ["namespace"] = Namespace, ["resourceVersion"] = version },
            ["data"] = new JsonObject { ["value"] = value },
        };
        Outcome outcome;
        string? error = null;
        try
        {
            using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            using var response = await http[replica].PutAsync(Path(key), content, CancellationToken.None);
            outcome = ClientOutcomes.OfStatus(response.StatusCode);
            if (outcome != Outcome.Ok)
                error = $"{(int)response.StatusCode} {Truncate(await response.Content.ReadAsStringAsync(CancellationToken.None))}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            (outcome, error) = (ClientOutcomes.OfException(e), e.GetType().Name + ": " + e.Message);
        }
        recorder.Add(new Operation
        {
            Id = recorder.NextId(), Process = client, Kind = "cas", Key = key, Expected = expected, Value = value, Outcome = outcome,
            Invoke = invoke, Complete = recorder.Now, Replica = replica + 1, Error = error,
        });
    }

    /// <summary>Set-up writes retried on any replica until they succeed or already had (409).</summary>
    private async Task SendUntilAsync(HttpMethod method, string path, JsonNode body, CancellationToken token)
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

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200];

    public ValueTask DisposeAsync()
    {
        foreach (var client in http)
            client.Dispose();
        return ValueTask.CompletedTask;
    }
}
