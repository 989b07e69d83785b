using Orchestrator.Chaos.Checkers;
using Orchestrator.Chaos.History;

namespace Orchestrator.Chaos.Workloads;

/// <summary>
/// Lists: each key a ConfigMap whose data.list holds space-separated elements. A client reads a key and appends an
/// element no one else appends (an update with the read's resourceVersion, or a create when the key is absent), or
/// only reads. Keys are rotated so lists stay short: the window of live keys moves on every 40 acknowledged appends.
/// Checked for linearizability (an append is a compare-and-set of the whole list) and by <see cref="ListAppendChecker"/>.
/// </summary>
public sealed class ListAppendWorkload(int clients, int keys, int firstProcess) : IWorkload
{
    public const string Field = "list";
    private int appended;
    private int highestKey;

    public string Name => "list-append";

    public Task SetUpAsync(ApiClients api, IDictionary<string, string?> initial, CancellationToken token) => Task.CompletedTask;

    public Task RunAsync(ApiClients api, CancellationToken token) =>
        Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(() => ClientAsync(api, firstProcess + c, token), CancellationToken.None)));

    public async Task FinalReadsAsync(ApiClients api, CancellationToken token)
    {
        for (var r = 0; r < api.Replicas; r++)
        {
            for (var k = 0; k <= Volatile.Read(ref highestKey); k++)
                await api.ReadAsync(Name, firstProcess + clients + r, r, $"l{k}", Field);
        }
    }

    public IEnumerable<CheckResult> Check(RunHistory history) =>
        [ListAppendChecker.Check(history.Operations.Where(o => o.Workload == Name))];

    private async Task ClientAsync(ApiClients api, int process, CancellationToken token)
    {
        var random = new Random(process * 104_729 + 3);
        var replica = process % api.Replicas;
        var element = process * 1_000_000;
        while (!token.IsCancellationRequested)
        {
            var index = Volatile.Read(ref appended) / 40 + random.Next(keys);
            InterlockedMax(ref highestKey, index);
            var key = $"l{index}";
            var (ok, list, version) = await api.ReadAsync(Name, process, replica, key, Field);
            if (!ok)
            {
                await Task.Delay(100, CancellationToken.None);
                continue;
            }
            if (random.Next(2) == 0 || token.IsCancellationRequested)
                continue;
            var next = (++element).ToString();
            var outcome = await api.WriteAsync(Name, "cas", process, replica, key, Field, list, version, list is null ? next : $"{list} {next}");
            if (outcome == Outcome.Ok)
                Interlocked.Increment(ref appended);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
