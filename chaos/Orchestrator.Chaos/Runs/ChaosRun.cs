using Orchestrator.Chaos.Checkers;
using Orchestrator.Chaos.History;
using Orchestrator.Chaos.Nemesis;
using Orchestrator.Chaos.Report;
using Orchestrator.Chaos.Workloads;
using Orchestrator.Testing;

namespace Orchestrator.Chaos.Runs;

/// <summary>
/// One run: a fresh cluster of real replicas, the workload's clients on every replica, the nemesis cycling through its
/// faults (healthy, fault, heal), then every fault healed, final reads on every replica, the checkers, and the history
/// and report written. The cluster is always torn down.
/// </summary>
public static class ChaosRun
{
    public static async Task<RunResult> RunAsync(RunOptions options, TextWriter log, CancellationToken token)
    {
        if (options.Workload != "register")
            throw new ArgumentException($"unknown workload {options.Workload}; known: register");
        foreach (var kind in options.Nemeses)
        {
            if (!ProcessNemesis.Kinds.Contains(kind) && !PartitionNemesis.Kinds.Contains(kind))
                throw new ArgumentException($"unknown nemesis {kind}; known: {string.Join(", ", ProcessNemesis.Kinds.Concat(PartitionNemesis.Kinds))}");
        }
        Directory.CreateDirectory(options.OutputDirectory);
        var recorder = new Recorder();
        // Partitions need each replica in a network namespace of its own; otherwise they all share 127.0.0.1.
        await using var network = options.Nemeses.Any(PartitionNemesis.Kinds.Contains) ? await ChaosNetwork.CreateAsync(options.Replicas, token) : null;
        await using var cluster = await ApiCluster.StartAsync(options.Replicas, serverArgs: options.ServerArgs,
            placement: network is null ? null : network.Placement);
        await using var workload = new RegisterWorkload(cluster, recorder, options.Clients, options.Keys);
        await workload.SetUpAsync(token);
        log.WriteLine($"cluster of {options.Replicas} up; {options.Clients} clients on {options.Keys} keys for {options.Duration.TotalSeconds:F0}s, faults: {string.Join(",", options.Nemeses)}");

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        var clients = workload.RunAsync(stop.Token);
        var random = new Random(options.Seed);
        var processes = new ProcessNemesis(cluster, random);
        var partitions = network is null ? null : new PartitionNemesis(network, cluster, random);
        var outages = new Dictionary<string, TimeSpan>();
        var started = recorder.Now;
        for (var cycle = 0; recorder.Now - started < options.Duration.TotalNanoseconds && !token.IsCancellationRequested; cycle++)
        {
            await Task.Delay(options.Healthy, token);
            var kind = options.Nemeses[cycle % options.Nemeses.Count];
            var fault = PartitionNemesis.Kinds.Contains(kind) ? await partitions!.StartAsync(kind, token) : await processes.StartAsync(kind, token);
            var faultStart = recorder.Now;
            await Task.Delay(options.FaultLength, token);
            await fault.HealAsync(token);
            recorder.AddFault(new FaultWindow(kind, fault.Target, faultStart, recorder.Now));
            log.WriteLine($"  {kind} {fault.Target}: {TimeSpan.FromTicks((recorder.Now - faultStart) / 100).TotalSeconds:F1}s");
            await cluster.WaitReadyAsync(cluster.Replicas, TimeSpan.FromSeconds(60));
        }
        stop.Cancel();
        await clients;
        await workload.FinalReadsAsync(token);

        var operations = recorder.Operations;
        foreach (var fault in recorder.Faults)
            outages[fault.Kind] = Max(outages.GetValueOrDefault(fault.Kind), LongestGap(operations, fault));
        var history = new RunHistory
        {
            Workload = options.Workload,
            Nemeses = options.Nemeses,
            Initial = workload.Initial,
            Operations = operations,
            Faults = recorder.Faults,
            DurationNanos = recorder.Now,
        };
        var linearizability = LinearizabilityChecker.Check(history.Initial, history.Operations, options.CheckTimeout);
        var result = new RunResult(history, linearizability, outages);
        await history.SaveAsync(Path.Combine(options.OutputDirectory, "history.json"), token);
        await File.WriteAllTextAsync(Path.Combine(options.OutputDirectory, "report.html"), HtmlReport.Render(result), token);
        return result;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>
    /// The longest stretch, from a fault's start until a little after its end, in which no write succeeded anywhere:
    /// how long the cluster was unavailable for writes because of it.
    /// </summary>
    private static TimeSpan LongestGap(IReadOnlyList<Operation> operations, FaultWindow fault)
    {
        var window = (Start: fault.Start, End: fault.End + (long)TimeSpan.FromSeconds(30).TotalNanoseconds);
        var successes = operations.Where(o => o.Kind != "read" && o.Outcome == Outcome.Ok && o.Complete >= window.Start && o.Complete <= window.End)
            .Select(o => o.Complete).Order().ToList();
        var longest = 0L;
        var previous = window.Start;
        foreach (var at in successes)
        {
            longest = Math.Max(longest, at - previous);
            previous = at;
        }
        if (successes.Count == 0)
            longest = fault.End - fault.Start;
        return TimeSpan.FromTicks(longest / 100);
    }
}
