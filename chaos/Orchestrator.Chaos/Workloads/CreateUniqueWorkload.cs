using System.Net;
using System.Text.Json.Nodes;
using Orchestrator.Chaos.Checkers;
using Orchestrator.Chaos.History;

namespace Orchestrator.Chaos.Workloads;

/// <summary>
/// Creates that race: clients on every replica create ConfigMaps whose names they draw from one small range, each
/// with a value of its own, so most names are tried by several clients. At most one create of a name may succeed, and
/// the one that did must be what every replica lists at the end. Final reads are one list per replica.
/// </summary>
public sealed class CreateUniqueWorkload(int clients, int names, int firstProcess) : IWorkload
{
    public const string Field = "owner";

    public string Name => "create-unique";

    public Task SetUpAsync(ApiClients api, IDictionary<string, string?> initial, CancellationToken token) => Task.CompletedTask;

    public Task RunAsync(ApiClients api, CancellationToken token) =>
        Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(() => ClientAsync(api, firstProcess + c, token), CancellationToken.None)));

    private async Task ClientAsync(ApiClients api, int process, CancellationToken token)
    {
        var random = new Random(process * 65_537 + 11);
        var replica = process % api.Replicas;
        var made = 0;
        // Names are used up as the run goes: move through them slowly so later faults still meet fresh names.
        var started = api.Recorder.Now;
        while (!token.IsCancellationRequested)
        {
            var window = (int)((api.Recorder.Now - started) / 1_000_000_000L);
            var name = $"u{window + random.Next(names)}";
            var outcome = await api.WriteAsync(Name, "create", process, replica, name, Field, null, null, $"p{process}-{++made}");
            if (outcome != Outcome.Ok)
                await Task.Delay(outcome == Outcome.Info ? 100 : 10, CancellationToken.None);
        }
    }

    /// <summary>One list of the namespace per replica; every name ever tried gets a read at that list's time.</summary>
    public async Task FinalReadsAsync(ApiClients api, CancellationToken token)
    {
        var tried = api.Recorder.Operations.Where(o => o.Workload == Name).Select(o => o.Key).ToHashSet();
        for (var r = 0; r < api.Replicas; r++)
        {
            var invoke = api.Recorder.Now;
            using var response = await api[r].GetAsync($"/api/v1/namespaces/{ApiClients.Namespace}/configmaps", token);
            if (response.StatusCode != HttpStatusCode.OK)
                continue;
            var items = JsonNode.Parse(await response.Content.ReadAsStringAsync(token))!["items"]!.AsArray();
            var complete = api.Recorder.Now;
            var owners = items.Where(i => i!["data"]?[Field] is not null)
                .ToDictionary(i => i!["metadata"]!["name"]!.GetValue<string>(), i => i!["data"]![Field]!.GetValue<string>());
            foreach (var name in tried.Order(StringComparer.Ordinal))
            {
                api.Recorder.Add(new Operation
                {
                    Id = api.Recorder.NextId(), Workload = Name, Process = firstProcess + clients + r, Kind = "read", Key = name,
                    Output = owners.GetValueOrDefault(name), Outcome = Outcome.Ok, Invoke = invoke, Complete = complete, Replica = r + 1,
                });
            }
        }
    }

    public IEnumerable<CheckResult> Check(RunHistory history) => [Unique(history.Operations.Where(o => o.Workload == Name))];

    /// <summary>No name created twice; the acknowledged creator of each name is its owner on every replica at the end.</summary>
    public static CheckResult Unique(IEnumerable<Operation> operations)
    {
        var ops = operations.ToList();
        var problems = new List<string>();
        var lost = 0;
        foreach (var group in ops.GroupBy(o => o.Key).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var created = group.Where(o => o.Kind == "create" && o.Outcome == Outcome.Ok).ToList();
            if (created.Count > 1)
                problems.Add($"{group.Key} created {created.Count} times: ops {string.Join(", ", created.Select(o => $"{o.Id} ({o.Value}, replica {o.Replica})"))}");
            var last = group.Where(o => o.Kind == "read" && o.Outcome == Outcome.Ok).OrderBy(o => o.Complete).LastOrDefault();
            if (created.Count == 1 && last is not null && last.Output != created[0].Value)
            {
                lost++;
                problems.Add($"lost write: {group.Key} created by op {created[0].Id} as {created[0].Value} (acknowledged), but the final read on replica {last.Replica} says {last.Output ?? "absent"}");
            }
        }
        var names = ops.Select(o => o.Key).Distinct().Count();
        var creates = ops.Count(o => o.Kind == "create" && o.Outcome == Outcome.Ok);
        return new CheckResult("create-unique", problems.Count == 0 ? Verdict.Ok : Verdict.Illegal,
            $"{names} names tried, {creates} created, {ops.Count(o => o.Kind == "create" && o.Outcome == Outcome.Fail)} refused as existing, {lost} lost", problems)
        { LostWrites = lost };
    }
}
