using System.CommandLine;
using Orchestrator.Chaos.Runs;

var time = new Option<TimeSpan>("--time") { Description = "How long faults are injected, e.g. 60s, 10m.", DefaultValueFactory = _ => TimeSpan.FromSeconds(60), CustomParser = r => Durations.Parse(r.Tokens.Single().Value) };
var nemesis = new Option<string>("--nemesis") { Description = $"Fault kinds taken in turn, or 'all': {string.Join(", ", ChaosRun.AllNemeses)}.", DefaultValueFactory = _ => "kill,pause" };
var workload = new Option<string>("--workload") { Description = $"Workloads run together: {string.Join(", ", ChaosRun.AllWorkloads)}.", DefaultValueFactory = _ => string.Join(",", ChaosRun.AllWorkloads) };
var replicas = new Option<int>("--replicas") { Description = "Replicas in the cluster.", DefaultValueFactory = _ => 3 };
var clients = new Option<int>("--clients") { Description = "Concurrent clients per workload, spread over the replicas.", DefaultValueFactory = _ => 6 };
var healthy = new Option<TimeSpan>("--healthy") { Description = "Time without a fault between faults.", DefaultValueFactory = _ => TimeSpan.FromSeconds(3), CustomParser = r => Durations.Parse(r.Tokens.Single().Value) };
var faultLength = new Option<TimeSpan>("--fault-length") { Description = "How long each fault lasts.", DefaultValueFactory = _ => TimeSpan.FromSeconds(4), CustomParser = r => Durations.Parse(r.Tokens.Single().Value) };
var keys = new Option<int>("--keys") { Description = "Registers (ConfigMaps).", DefaultValueFactory = _ => 3 };
var output = new Option<string>("--out") { Description = "Folder for history.json and report.html.", DefaultValueFactory = _ => Path.Combine("chaos-runs", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss")) };
var cycles = new Option<int?>("--cycles") { Description = "End after this many faults instead of after --time." };
var checkTimeout = new Option<TimeSpan>("--check-timeout") { Description = "Time the linearizability search may take before it says unknown.", DefaultValueFactory = _ => TimeSpan.FromMinutes(2), CustomParser = r => Durations.Parse(r.Tokens.Single().Value) };
var seed = new Option<int?>("--seed") { Description = "Seed of the fault choices." };
var unsafeReads = new Option<bool>("--unsafe-local-reads") { Description = "Run replicas deliberately broken (reads without a read barrier): the checker must say INVALID." };

var run = new Command("run", "Run a cluster under faults with concurrent clients, check the history, write a report.")
{
    time, cycles, nemesis, workload, replicas, clients, healthy, faultLength, keys, output, seed, checkTimeout, unsafeReads,
};
run.SetAction(async (result, token) =>
{
    var options = new RunOptions
    {
        Duration = result.GetValue(time),
        Cycles = result.GetValue(cycles),
        CheckTimeout = result.GetValue(checkTimeout),
        Nemeses = result.GetValue(nemesis) == "all" ? [.. ChaosRun.AllNemeses]
            : [.. result.GetValue(nemesis)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
        Workloads = [.. result.GetValue(workload)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
        Healthy = result.GetValue(healthy),
        FaultLength = result.GetValue(faultLength),
        Replicas = result.GetValue(replicas),
        Clients = result.GetValue(clients),
        Keys = result.GetValue(keys),
        OutputDirectory = Path.GetFullPath(result.GetValue(output)!),
        Seed = result.GetValue(seed) ?? Environment.TickCount,
        ServerArgs = result.GetValue(unsafeReads) ? ["--unsafe-local-reads"] : [],
    };
    var outcome = await ChaosRun.RunAsync(options, Console.Out, token);
    Console.WriteLine(outcome.VerdictLine());
    Console.WriteLine($"history: {Path.Combine(options.OutputDirectory, "history.json")}, report: {Path.Combine(options.OutputDirectory, "report.html")}");
    foreach (var check in outcome.Checks)
        Console.WriteLine($"  {check.Name}: {check.Verdict}: {check.Summary}");
    return outcome.Verdict == Orchestrator.Chaos.Checkers.Verdict.Ok ? 0 : 1;
});
var apiListen = new Option<string>("--listen") { Description = "Where the Toxiproxy-compatible HTTP API listens.", DefaultValueFactory = _ => "127.0.0.1:8474" };
var proxy = new Command("proxy", "Run the fault proxy alone: a Toxiproxy-compatible API (proxies, toxics) for any client, until interrupted.") { apiListen };
proxy.SetAction(async (result, token) =>
{
    await using var server = await Orchestrator.Chaos.Proxy.ProxyServer.StartAsync(System.Net.IPEndPoint.Parse(result.GetValue(apiListen)!), token);
    Console.WriteLine($"fault proxy API at {server.Address}");
    try
    {
        await Task.Delay(Timeout.Infinite, token);
    }
    catch (OperationCanceledException)
    {
    }
    return 0;
});
return await new RootCommand("Jepsen-style chaos runs against a replicated Orchestrator cluster.") { run, proxy }.Parse(args).InvokeAsync();
