using System.Text.Json.Nodes;
using Orchestrator.Chaos.Checkers;
using Orchestrator.Chaos.History;

namespace Orchestrator.Chaos.Workloads;

/// <summary>
/// Registers: a few ConfigMaps, each a register (data.value). Every client, bound to one replica, reads a random key
/// (GET) and a quarter of the time then writes a value no one else writes (PUT with the resourceVersion of that read:
/// a compare-and-set on what it saw). One operation at a time per client. Checked for linearizability.
/// </summary>
public sealed class RegisterWorkload(int clients, int keys, int firstProcess) : IWorkload
{
    public string Name => "register";

    public async Task SetUpAsync(ApiClients api, IDictionary<string, string?> initial, CancellationToken token)
    {
        for (var k = 0; k < keys; k++)
        {
            var key = $"r{k}";
            await api.SendUntilAsync(HttpMethod.Post, $"/api/v1/namespaces/{ApiClients.Namespace}/configmaps", new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = key },
                ["data"] = new JsonObject { ["value"] = "0" },
            }, token);
            initial[key] = "0";
        }
    }

    public Task RunAsync(ApiClients api, CancellationToken token) =>
        Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(() => ClientAsync(api, firstProcess + c, token), CancellationToken.None)));

    public async Task FinalReadsAsync(ApiClients api, CancellationToken token)
    {
        for (var r = 0; r < api.Replicas; r++)
        {
            for (var k = 0; k < keys; k++)
                await api.ReadAsync(Name, firstProcess + clients + r, r, $"r{k}", "value");
        }
    }

    public IEnumerable<CheckResult> Check(RunHistory history) => [];

    private async Task ClientAsync(ApiClients api, int process, CancellationToken token)
    {
        var random = new Random(process * 7919 + 1);
        var replica = process % api.Replicas;
        var written = 0;
        while (!token.IsCancellationRequested)
        {
            var key = $"r{random.Next(keys)}";
            var (ok, seen, version) = await api.ReadAsync(Name, process, replica, key, "value");
            if (!ok || version is null)
            {
                // The replica is down or refusing: do not spin on it (and fill the history with refusals).
                await Task.Delay(100, CancellationToken.None);
                continue;
            }
            if (random.Next(4) == 0 && !token.IsCancellationRequested)
                await api.WriteAsync(Name, "cas", process, replica, key, "value", seen, version, $"c{process}-{++written}");
        }
    }
}
