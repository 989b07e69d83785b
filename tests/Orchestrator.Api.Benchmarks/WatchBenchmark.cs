using System.Diagnostics;
using System.Text.Json.Nodes;
using Orchestrator.Client;
using Orchestrator.Client.Watching;

namespace Orchestrator.Api.Benchmarks;

/// <summary>
/// Watch delivery: watchers spread round-robin over all replicas (sharing one client, so HTTP/2 connections, per
/// replica), one paced writer on replica 1. For every write we keep the time just before sending and the time its
/// acknowledgement came back; each event's arrival is compared with both (arrival - ack can be negative: a replica may
/// deliver before the writer hears back). Every watcher must see every write exactly once, else the phase fails; a
/// watcher whose stream breaks resumes from its last event (counted as a reconnect, and its delay is in the numbers).
/// </summary>
internal static class WatchBenchmark
{
    private const string Namespace = "bench-watch";

    /// <returns>False when some watcher missed an event or saw one twice.</returns>
    /// <param name="leader">Which replica leads Raft now, for the header: followers' delivery differs when the writer's replica leads.</param>
    public static async Task<bool> RunAsync(Bench bench, string leader, int watchers, int writes, int rate, CancellationToken token)
    {
        var replicas = bench.ReplicaCount;
        Console.WriteLine($"== watch: {watchers} watchers round-robin over {replicas} replicas (one shared client per replica, " +
                          $"{await bench.NegotiatedVersionAsync(token) switch { { Major: 2 } => "HTTP/2 streams", var v => $"HTTP/{v}" }}), " +
                          $"{writes} configmap writes (creates, then updates) at {rate}/s through replica 1; Raft leader: {leader}");
        using var writer = bench.NewClient(0);
        await Bench.CreateNamespaceAsync(writer, Namespace, token);
        var from = (await writer.ListAsync(ApiResource.ConfigMaps, Namespace, token: token)).ResourceVersion;

        var shared = Enumerable.Range(0, replicas).Select(i => bench.NewClient(i)).ToList();
        var arrivals = Enumerable.Range(0, watchers).Select(_ => new List<(string Version, long At)>(writes)).ToArray();
        var failures = new string?[watchers];
        var reconnects = 0;
        var warmed = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        var watching = Enumerable.Range(0, watchers).Select(w => Task.Run(async () =>
        {
            // As an informer does: a stream that fails or ends is resumed from the last event seen, so a lost
            // connection costs latency, not events; every reconnect is counted and reported.
            var version = from;
            for (var attempt = 0; ; attempt++)
            {
                if (attempt > 0)
                {
                    Interlocked.Increment(ref reconnects);
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, 50 * attempt)), stop.Token);
                }
                try
                {
                    var options = new WatchOptions { ResourceVersion = version, TimeoutSeconds = 1800 };
                    await foreach (var e in shared[w % replicas].WatchAsync(ApiResource.ConfigMaps, Namespace, options, stop.Token))
                    {
                        var at = Stopwatch.GetTimestamp();
                        version = e.ResourceVersion ?? version;
                        switch (e.Object["metadata"]?["name"]?.GetValue<string>())
                        {
                            case "warmup":
                                Interlocked.Increment(ref warmed);
                                break;
                            case "done":
                                return;
                            default:
                                arrivals[w].Add((e.ResourceVersion ?? "", at));
                                break;
                        }
                    }
                    failures[w] ??= "stream ended before the last write";
                }
                catch (Exception e) when (!stop.IsCancellationRequested)
                {
                    failures[w] ??= Bench.Describe(e);
                }
            }
        }, stop.Token)).ToList();

        try
        {
            // Every watcher must be connected and streaming before measured writes start.
            var connecting = Stopwatch.StartNew();
            await writer.CreateAsync(ApiResource.ConfigMaps, Namespace, Bench.ConfigMap(Namespace, "warmup", "0"), token: token);
            while (Volatile.Read(ref warmed) < watchers)
            {
                if (connecting.Elapsed > TimeSpan.FromSeconds(120))
                    throw new TimeoutException($"only {warmed}/{watchers} watchers saw the warm-up write within {connecting.Elapsed.TotalSeconds:F0} s; " +
                                               $"first failure: {failures.FirstOrDefault(f => f is not null)}");
                await Task.Delay(10, token);
            }
            Console.WriteLine($"all {watchers} watchers streaming after {connecting.Elapsed.TotalSeconds:F1} s");

            var sent = await WriteAsync(writer, writes, TimeSpan.FromSeconds(1.0 / rate), token);
            await writer.CreateAsync(ApiResource.ConfigMaps, Namespace, Bench.ConfigMap(Namespace, "done", "0"), token: token);
            await Task.WhenAll(watching).WaitAsync(TimeSpan.FromSeconds(120), token);
            return Report(watchers, writes, replicas, sent, arrivals, failures, reconnects);
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var task in watching)
            {
                try
                {
                    await task;
                }
                catch (OperationCanceledException)
                {
                }
            }
            foreach (var client in shared)
                client.Dispose();
        }
    }

    private static bool Report(int watchers, int writes, int replicas, Dictionary<string, (long Send, long Ack)> sent,
        List<(string Version, long At)>[] arrivals, string?[] failures, int reconnects)
    {
        var afterAck = new Latencies();
        var afterSend = new Latencies();
        var perReplica = Enumerable.Range(0, replicas).Select(_ => new Latencies()).ToArray();
        int received = 0, missingWatchers = 0, missing = 0, duplicates = 0;
        for (var w = 0; w < watchers; w++)
        {
            var seen = new HashSet<string>();
            foreach (var (version, at) in arrivals[w])
            {
                if (!sent.TryGetValue(version, out var write))
                    continue;
                if (!seen.Add(version))
                {
                    duplicates++;
                    continue;
                }
                received++;
                var ms = Stopwatch.GetElapsedTime(write.Ack, at).TotalMilliseconds;
                afterAck.Add(ms);
                perReplica[w % replicas].Add(ms);
                afterSend.Add(Stopwatch.GetElapsedTime(write.Send, at).TotalMilliseconds);
            }
            if (seen.Count < writes)
            {
                missingWatchers++;
                missing += writes - seen.Count;
            }
        }
        var broken = failures.Count(f => f is not null);
        Console.WriteLine($"events received {received}/{watchers * writes}; watchers missing events {missingWatchers} ({missing} events); " +
                          $"duplicates {duplicates}; watchers that had to reconnect {broken} ({reconnects} reconnects)");
        if (failures.FirstOrDefault(f => f is not null) is { } failure)
            Console.WriteLine($"first watch failure: {failure}");
        Console.WriteLine($"event arrival - write ack    p50 {afterAck.Percentile(0.5),7:F2} ms   p99 {afterAck.Percentile(0.99),7:F2} ms");
        Console.WriteLine($"event arrival - write sent   p50 {afterSend.Percentile(0.5),7:F2} ms   p99 {afterSend.Percentile(0.99),7:F2} ms");
        for (var r = 0; r < replicas; r++)
            Console.WriteLine($"  watchers on replica {r + 1}{(r == 0 ? " (writer's)" : "")}: arrival - ack p50 {perReplica[r].Percentile(0.5),7:F2} ms   p99 {perReplica[r].Percentile(0.99),7:F2} ms");
        var ok = missingWatchers == 0 && duplicates == 0;
        Console.WriteLine(ok ? "every watcher saw every write exactly once" : "FAILED: some watcher did not see every write exactly once");
        return ok;
    }

    /// <summary>One sequential writer: half creates, then updates of the same objects; keyed by the resulting resourceVersion.</summary>
    private static async Task<Dictionary<string, (long Send, long Ack)>> WriteAsync(KubeClient writer, int writes, TimeSpan interval, CancellationToken token)
    {
        var sent = new Dictionary<string, (long, long)>(writes);
        var creates = (writes + 1) / 2;
        var pace = Stopwatch.StartNew();
        for (var i = 0; i < writes; i++)
        {
            var due = interval * i;
            if (pace.Elapsed < due)
                await Task.Delay(due - pace.Elapsed, token);
            var send = Stopwatch.GetTimestamp();
            var stored = i < creates
                ? await writer.CreateAsync(ApiResource.ConfigMaps, Namespace, Bench.ConfigMap(Namespace, $"cm-{i}", send.ToString()), token: token)
                : await writer.PatchAsync(ApiResource.ConfigMaps, Namespace, $"cm-{i - creates}", PatchType.Merge,
                    new JsonObject { ["data"] = new JsonObject { ["value"] = send.ToString() } }, token: token);
            var ack = Stopwatch.GetTimestamp();
            sent[stored["metadata"]!["resourceVersion"]!.GetValue<string>()] = (send, ack);
        }
        return sent;
    }
}
