using System.Diagnostics;
using Google.Protobuf;
using Grpc.Core;
using Orchestrator.Storage.Commands;
using Orchestrator.Storage.Replication.Grpc;
using Orchestrator.Testing;

// Store benchmark: 3 replica processes on 127.0.0.1; write throughput and latency at 1, 8 and 64 concurrent
// writers (1 KiB values, writers spread over all replicas), then failover time (kill -9 of the leader to
// the next acknowledged write) over several trials.
var seconds = args.Length > 0 ? int.Parse(args[0]) : 10;
var trials = args.Length > 1 ? int.Parse(args[1]) : 5;
var root = Path.Combine(Path.GetTempPath(), "orchestrator-bench", Guid.NewGuid().ToString("N"));
var replicas = Enumerable.Range(1, 3)
    .Select(i => new ReplicaProcess(i, Path.Combine(root, $"replica-{i}"), FreePorts.Next(), FreePorts.Next(), FreePorts.Next(), Path.Combine(root, "pki")))
    .ToList();
var peers = replicas.Select(r => r.RaftEndpoint).ToList();
try
{
    foreach (var replica in replicas)
        replica.Start(peers);
    await WaitForLeaderAsync(replicas);
    Console.WriteLine($"3 replicas up; {seconds}s per run, {Environment.ProcessorCount} cores");
    var value = new byte[1024];
    Random.Shared.NextBytes(value);

    Console.WriteLine("writers (spread over all replicas unless said)\nwriters  writes/s   p50 ms   p99 ms   errors");
    var leaderOnly = await WaitForLeaderAsync(replicas);
    foreach (var (writers, targets) in new[] { (1, (List<ReplicaProcess>)[leaderOnly]), (1, replicas), (8, replicas), (64, replicas) })
    {
        var latencies = new List<double>[writers];
        var errors = 0;
        var stop = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, writers).Select(async w =>
        {
            latencies[w] = new List<double>();
            var clients = targets.Select(r => r.Client).ToList();
            for (var n = 0; stop.Elapsed.TotalSeconds < seconds; n++)
            {
                var command = StoreCommand.Create($"/registry/bench/c{writers}-{targets.Count}/w{w}/k{n}", value);
                var started = Stopwatch.GetTimestamp();
                try
                {
                    await clients[(w + n) % clients.Count].ProposeAsync(new ProposeRequest { Command = ByteString.CopyFrom(command.Encode()) },
                        deadline: DateTime.UtcNow.AddSeconds(10));
                    latencies[w].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                catch (RpcException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }).ToList();
        await Task.WhenAll(tasks);
        var all = latencies.SelectMany(l => l).Order().ToList();
        var label = targets.Count == 1 ? $"{writers} (leader only)" : $"{writers}";
        Console.WriteLine($"{label,7}  {all.Count / stop.Elapsed.TotalSeconds,8:F0}  {Percentile(all, 0.50),7:F2}  {Percentile(all, 0.99),7:F2}  {errors,7}");
    }

    Console.WriteLine("failover trial  kill->next acknowledged write (ms)");
    var failovers = new List<double>();
    for (var trial = 1; trial <= trials; trial++)
    {
        var leader = await WaitForLeaderAsync(replicas);
        var survivors = replicas.Where(r => r != leader).ToList();
        var killed = Stopwatch.StartNew();
        leader.Kill();
        for (var n = 0; ; n++)
        {
            try
            {
                var command = StoreCommand.Create($"/registry/bench/failover/t{trial}/k{n}", value);
                await survivors[n % 2].Client.ProposeAsync(new ProposeRequest { Command = ByteString.CopyFrom(command.Encode()) },
                    deadline: DateTime.UtcNow.AddSeconds(5));
                break;
            }
            catch (RpcException) when (killed.Elapsed < TimeSpan.FromSeconds(30))
            {
            }
        }
        failovers.Add(killed.Elapsed.TotalMilliseconds);
        Console.WriteLine($"{trial,14}  {killed.Elapsed.TotalMilliseconds,8:F0}");
        leader.Start(peers);
        await WaitForLeaderAsync(replicas);
    }
    failovers.Sort();
    if (failovers.Count > 0)
        Console.WriteLine($"failover median {Percentile(failovers, 0.5):F0} ms, max {failovers[^1]:F0} ms");
}
finally
{
    foreach (var replica in replicas)
        await replica.DisposeAsync();
    try { Directory.Delete(root, recursive: true); } catch (IOException) { }
}

static double Percentile(List<double> sorted, double q) =>
    sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(q * sorted.Count))];

static async Task<ReplicaProcess> WaitForLeaderAsync(List<ReplicaProcess> replicas)
{
    var deadline = Stopwatch.StartNew();
    while (deadline.Elapsed < TimeSpan.FromSeconds(60))
    {
        try
        {
            var leaders = new HashSet<string>();
            foreach (var replica in replicas)
                leaders.Add((await replica.Client.StatusAsync(new StatusRequest(), deadline: DateTime.UtcNow.AddSeconds(2))).Leader);
            if (leaders.Count == 1 && replicas.FirstOrDefault(r => r.RaftEndpoint == leaders.First()) is { } leader)
                return leader;
        }
        catch (RpcException)
        {
        }
        await Task.Delay(50);
    }
    throw new TimeoutException("no leader agreed on by all replicas within 60s");
}
