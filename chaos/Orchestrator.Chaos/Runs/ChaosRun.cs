using System.Net;
using Orchestrator.Chaos.Checkers;
using Orchestrator.Chaos.History;
using Orchestrator.Chaos.Nemesis;
using Orchestrator.Chaos.Proxy;
using Orchestrator.Chaos.Report;
using Orchestrator.Chaos.Workloads;
using Orchestrator.Testing;

namespace Orchestrator.Chaos.Runs;

/// <summary>
/// One run: a network of namespaces, the fault proxy on every link between replicas, a fresh cluster of real replicas,
/// the workloads' clients on every replica, the nemesis cycling through its faults (healthy, fault, heal), then every
/// fault healed, final reads on every replica, the checkers, and the history and report written. Everything the run
/// made is torn down.
/// </summary>
public static class ChaosRun
{
    public static readonly IReadOnlyList<string> AllWorkloads = ["register", "list-append", "create-unique", "watch"];

    public static IEnumerable<string> AllNemeses => ProcessNemesis.Kinds.Concat(PartitionNemesis.Kinds).Concat(LinkNemesis.Kinds);

    public static async Task<RunResult> RunAsync(RunOptions options, TextWriter log, CancellationToken token)
    {
        foreach (var workload in options.Workloads.Where(w => !AllWorkloads.Contains(w)))
            throw new ArgumentException($"unknown workload {workload}; known: {string.Join(", ", AllWorkloads)}");
        foreach (var kind in options.Nemeses.Where(k => !AllNemeses.Contains(k)))
            throw new ArgumentException($"unknown nemesis {kind}; known: {string.Join(", ", AllNemeses)}");
        Directory.CreateDirectory(options.OutputDirectory);
        var recorder = new Recorder();
        await using var network = await ChaosNetwork.CreateAsync(options.Replicas, token);
        await using var proxies = await ProxyServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), token);
        PeerLinks links = null!;
        await using var cluster = await ApiCluster.StartAsync(options.Replicas, serverArgs: options.ServerArgs, placement: network.Placement,
            beforeStart: async c => links = await PeerLinks.RouteAsync(proxies, network, c, token));
        using var api = new ApiClients(cluster, recorder);
        var workloads = Make(options, cluster).ToList();
        await api.CreateNamespaceAsync(ApiClients.Namespace, token);
        var initial = new Dictionary<string, string?>();
        foreach (var workload in workloads)
            await workload.SetUpAsync(api, initial, token);
        log.WriteLine($"cluster of {options.Replicas} up, peer links through the fault proxy (Toxiproxy API at {proxies.Address}); " +
            $"workloads {string.Join(",", options.Workloads)} with {options.Clients} clients each for {options.Duration.TotalSeconds:F0}s; faults: {string.Join(",", options.Nemeses)}");

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        // Watchers first, so their first lists come before the first writes they must be given.
        var watching = workloads.Where(w => w is WatchWorkload).Select(w => w.RunAsync(api, stop.Token)).ToList();
        if (watching.Count > 0)
            await Task.Delay(TimeSpan.FromSeconds(1), token);
        var clients = Task.WhenAll([.. watching, .. workloads.Where(w => w is not WatchWorkload).Select(w => w.RunAsync(api, stop.Token))]);
        var random = new Random(options.Seed);
        var processes = new ProcessNemesis(cluster, random);
        var partitions = new PartitionNemesis(network, cluster, random);
        var linkFaults = new LinkNemesis(links, network, cluster, random);
        var started = recorder.Now;
        bool More(int cycle) => options.Cycles is { } cycles ? cycle < cycles : recorder.Now - started < options.Duration.TotalNanoseconds;
        for (var cycle = 0; More(cycle) && !token.IsCancellationRequested; cycle++)
        {
            await Task.Delay(options.Healthy, token);
            var kind = options.Nemeses[cycle % options.Nemeses.Count];
            var fault = PartitionNemesis.Kinds.Contains(kind) ? await partitions.StartAsync(kind, token)
                : LinkNemesis.Kinds.Contains(kind) ? await linkFaults.StartAsync(kind, token)
                : await processes.StartAsync(kind, token);
            var faultStart = recorder.Now;
            await Task.Delay(options.FaultLength, token);
            await fault.HealAsync(token);
            recorder.AddFault(new FaultWindow(kind, fault.Target, faultStart, recorder.Now));
            log.WriteLine($"  {cycle + 1,4} {kind} {fault.Target}: {TimeSpan.FromTicks((recorder.Now - faultStart) / 100).TotalSeconds:F1}s");
            await cluster.WaitReadyAsync(cluster.Replicas, TimeSpan.FromSeconds(90));
        }
        // A last quiet stretch, so watchers catch up with the last writes before they stop.
        await Task.Delay(options.Healthy, token);
        stop.Cancel();
        await clients;
        foreach (var workload in workloads)
            await workload.FinalReadsAsync(api, token);

        var history = new RunHistory
        {
            Workload = string.Join(",", options.Workloads),
            Nemeses = options.Nemeses,
            Initial = initial,
            Operations = recorder.Operations,
            Faults = recorder.Faults,
            Watches = recorder.Watches,
            DurationNanos = recorder.Now,
        };
        var outages = new Dictionary<string, TimeSpan>();
        foreach (var fault in history.Faults)
            outages[fault.Kind] = Max(outages.GetValueOrDefault(fault.Kind), LongestGap(history.Operations, fault));
        var linearizability = LinearizabilityChecker.Check(history.Initial, history.Operations, options.CheckTimeout);
        var checks = workloads.SelectMany(w => w.Check(history)).ToList();
        var result = new RunResult(history, linearizability, checks, outages);
        await history.SaveAsync(Path.Combine(options.OutputDirectory, "history.json"), token);
        await File.WriteAllTextAsync(Path.Combine(options.OutputDirectory, "report.html"), HtmlReport.Render(result), token);
        return result;
    }

    private static IEnumerable<IWorkload> Make(RunOptions options, ApiCluster cluster)
    {
        foreach (var name in options.Workloads)
        {
            yield return name switch
            {
                "register" => new RegisterWorkload(options.Clients, options.Keys, firstProcess: 0),
                "list-append" => new ListAppendWorkload(options.Clients, options.Keys, firstProcess: 1000),
                "create-unique" => new CreateUniqueWorkload(Math.Max(1, options.Clients / 2), names: 8, firstProcess: 2000),
                _ => new WatchWorkload(cluster, watchers: 2 * options.Replicas),
            };
        }
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
