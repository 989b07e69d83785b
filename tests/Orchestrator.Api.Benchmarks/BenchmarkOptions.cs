using System.CommandLine;

namespace Orchestrator.Api.Benchmarks;

/// <summary>Everything one run is told on its command line; see <see cref="Command"/> for the flags and defaults.</summary>
internal sealed record BenchmarkOptions
{
    public static readonly string[] AllPhases = ["create", "failover", "watch", "list"];

    public int Seconds { get; init; } = 10;
    public IReadOnlyList<int> Levels { get; init; } = [1, 8, 64, 256];
    public IReadOnlySet<string> Phases { get; init; } = new HashSet<string>(AllPhases);
    public bool SkipEtcd { get; init; }
    public int FailoverTrials { get; init; } = 3;
    public int FailoverRate { get; init; } = 50;
    public double FailoverSeconds { get; init; } = 5;
    public int Watchers { get; init; } = 1000;
    public int WatchWrites { get; init; } = 200;
    public int WatchRate { get; init; } = 20;
    public int ListPods { get; init; } = 10_000;
    public int Lists { get; init; } = 50;
    public int SimulatedNodes { get; init; }
    public IReadOnlyList<int> PacedRates { get; init; } = [];
    public IReadOnlyList<string> ServerArgs { get; init; } = [];

    public bool Runs(string phase) => Phases.Contains(phase);

    /// <summary>The root command; <paramref name="run"/> gets the parsed options and a token cancelled on Ctrl-C or SIGTERM.</summary>
    public static RootCommand Command(Func<BenchmarkOptions, CancellationToken, Task<int>> run)
    {
        var seconds = new Option<int>("--seconds") { Description = "Seconds of load per client level (create phase).", DefaultValueFactory = _ => 10 };
        var levels = new Option<string>("--levels") { Description = "Client counts of the create phase, comma-separated.", DefaultValueFactory = _ => "1,8,64,256" };
        var phases = new Option<string>("--phases") { Description = "Phases to run, comma-separated: create,failover,watch,list.", DefaultValueFactory = _ => string.Join(',', AllPhases) };
        var skipEtcd = new Option<bool>("--skip-etcd") { Description = "Do not start the etcd baseline even when etcd is on PATH." };
        var trials = new Option<int>("--failover-trials") { Description = "Leader kills per system (failover phase).", DefaultValueFactory = _ => 3 };
        var rate = new Option<int>("--failover-rate") { Description = "Writes per second during a failover trial.", DefaultValueFactory = _ => 50 };
        var after = new Option<double>("--failover-seconds") { Description = "Seconds of writing after the kill.", DefaultValueFactory = _ => 5 };
        var watchers = new Option<int>("--watchers") { Description = "Watches, spread round-robin over all replicas.", DefaultValueFactory = _ => 1000 };
        var watchWrites = new Option<int>("--watch-writes") { Description = "Writes the watchers must all see.", DefaultValueFactory = _ => 200 };
        var watchRate = new Option<int>("--watch-rate") { Description = "Watch-phase writes per second (one writer, replica 1).", DefaultValueFactory = _ => 20 };
        var listPods = new Option<int>("--list-pods") { Description = "Pods created before the LIST measurements (Kubernetes' scale target: 150000).", DefaultValueFactory = _ => 10_000 };
        var paced = new Option<string>("--paced") { Description = "Open-loop create rates per second run after the levels, comma-separated, the same for API and etcd; default: half of each system's best closed-loop rate.", DefaultValueFactory = _ => "" };
        paced.Validators.Add(result =>
        {
            if (Split(result.GetValueOrDefault<string>() ?? "").Any(l => !int.TryParse(l, out var n) || n < 1))
                result.AddError("--paced takes positive rates, e.g. 100,200,400");
        });
        var serverArgs = new Option<string>("--server-args") { Description = "More `orchestrator server` options for every replica, space-separated, e.g. \"--max-replication-lag 2\".", DefaultValueFactory = _ => "" };
        var simulatedNodes = new Option<int>("--simulated-nodes") { Description = "Simulated nodes (kwok-like, in this process) for the whole run, so created pods are scheduled and run; 0: none, every pod stays Pending.", DefaultValueFactory = _ => 0 };
        var lists = new Option<int>("--lists") { Description = "First-page LIST ?limit=500 requests measured.", DefaultValueFactory = _ => 50 };

        foreach (var count in new[] { seconds, trials, rate, watchers, watchWrites, watchRate, listPods, lists })
            count.Validators.Add(result =>
            {
                if (result.GetValueOrDefault<int>() < 1)
                    result.AddError($"{count.Name} must be at least 1");
            });
        after.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() <= 0)
                result.AddError($"{after.Name} must be more than 0");
        });
        phases.Validators.Add(result =>
        {
            if (Split(result.GetValueOrDefault<string>()).FirstOrDefault(p => !AllPhases.Contains(p)) is { } unknown)
                result.AddError($"unknown phase '{unknown}'; known: {string.Join(',', AllPhases)}");
        });
        levels.Validators.Add(result =>
        {
            if (Split(result.GetValueOrDefault<string>()).Any(l => !int.TryParse(l, out var n) || n < 1))
                result.AddError("--levels takes positive client counts, e.g. 1,8,64,256");
        });

        var command = new RootCommand(
            "API server benchmark against a 3-replica cluster, with a 3-member etcd (when `etcd` is on PATH) under the same load: " +
            "closed-loop creates, leader failover gap, watch delivery, LIST latency, replica RSS.");
        simulatedNodes.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 0)
                result.AddError("--simulated-nodes must not be negative");
        });
        foreach (var option in new Option[] { seconds, levels, phases, skipEtcd, trials, rate, after, watchers, watchWrites, watchRate, listPods, lists, simulatedNodes, paced, serverArgs })
            command.Options.Add(option);
        command.SetAction((result, token) =>
        {
            return run(new BenchmarkOptions
            {
                Seconds = result.GetValue(seconds),
                Levels = [.. Split(result.GetValue(levels)!).Select(int.Parse)],
                Phases = Split(result.GetValue(phases)!).ToHashSet(),
                SkipEtcd = result.GetValue(skipEtcd),
                FailoverTrials = result.GetValue(trials),
                FailoverRate = result.GetValue(rate),
                FailoverSeconds = result.GetValue(after),
                Watchers = result.GetValue(watchers),
                WatchWrites = result.GetValue(watchWrites),
                WatchRate = result.GetValue(watchRate),
                ListPods = result.GetValue(listPods),
                Lists = result.GetValue(lists),
                SimulatedNodes = result.GetValue(simulatedNodes),
                PacedRates = [.. Split(result.GetValue(paced) ?? "").Select(int.Parse)],
                ServerArgs = (result.GetValue(serverArgs) ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries),
            }, token);
        });
        return command;
    }

    private static IEnumerable<string> Split(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => s.ToLowerInvariant());
}
