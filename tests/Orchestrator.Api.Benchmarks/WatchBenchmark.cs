using System.Diagnostics;
using System.Text.Json.Nodes;
using Orchestrator.Client;
using Orchestrator.Client.Watching;

namespace Orchestrator.Api.Benchmarks;

/// <summary>
/// (c) Watch delivery latency: watchers on replicas 2 and 3, one writer on replica 1. For every write we
/// keep the time just before sending and the time its acknowledgement came back; each event's arrival is
/// compared with both (arrival - ack can be negative: a follower may deliver before the writer's answer).
/// </summary>
internal static class WatchBenchmark
{
    private const string Namespace = "bench-watch";

    public static async Task RunAsync(Bench bench, int watchers, int writes, TimeSpan writeInterval, CancellationToken token)
    {
        using var writer = bench.NewClient(0);
        await Bench.CreateNamespaceAsync(writer, Namespace, token);
        var from = (await writer.ListAsync(ApiResource.ConfigMaps, Namespace, token: token)).ResourceVersion;

        var clients = Enumerable.Range(0, watchers).Select(i => bench.NewClient(1 + i % 2)).ToList();
        var arrivals = clients.Select(_ => new List<(string Version, long At)>(writes)).ToArray();
        var warmed = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        var watching = clients.Select((client, w) => Task.Run(async () =>
        {
            var options = new WatchOptions { ResourceVersion = from, TimeoutSeconds = 600 };
            await foreach (var e in client.WatchAsync(ApiResource.ConfigMaps, Namespace, options, stop.Token))
            {
                var at = Stopwatch.GetTimestamp();
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
        }, stop.Token)).ToList();

        try
        {
            // Every watcher must be connected and streaming before measured writes start.
            await writer.CreateAsync(ApiResource.ConfigMaps, Namespace, Bench.ConfigMap(Namespace, "warmup", "0"), token: token);
            var wait = Stopwatch.StartNew();
            while (Volatile.Read(ref warmed) < watchers)
            {
                if (wait.Elapsed > TimeSpan.FromSeconds(60))
                    throw new TimeoutException($"only {warmed}/{watchers} watchers saw the warm-up write within 60s");
                await Task.Delay(10, token);
            }

            var sent = await WriteAsync(writer, writes, writeInterval, token);
            await writer.CreateAsync(ApiResource.ConfigMaps, Namespace, Bench.ConfigMap(Namespace, "done", "0"), token: token);
            await Task.WhenAll(watching).WaitAsync(TimeSpan.FromSeconds(60), token);

            var afterAck = new Latencies();
            var afterSend = new Latencies();
            var received = 0;
            foreach (var (version, at) in arrivals.SelectMany(a => a))
            {
                if (!sent.TryGetValue(version, out var write))
                    continue;
                received++;
                afterAck.Add(Stopwatch.GetElapsedTime(write.Ack, at).TotalMilliseconds);
                afterSend.Add(Stopwatch.GetElapsedTime(write.Send, at).TotalMilliseconds);
            }
            Console.WriteLine($"(c) watch delivery: {watchers} watchers on replicas 2 and 3, {writes} configmap writes (creates, then updates) " +
                              $"through replica 1, one every {writeInterval.TotalMilliseconds:F0} ms at most; {received}/{watchers * writes} events received");
            Console.WriteLine($"event arrival - write ack    p50 {afterAck.Percentile(0.5),7:F2} ms   p99 {afterAck.Percentile(0.99),7:F2} ms");
            Console.WriteLine($"event arrival - write sent   p50 {afterSend.Percentile(0.5),7:F2} ms   p99 {afterSend.Percentile(0.99),7:F2} ms");
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
                catch (Exception e) when (e is OperationCanceledException || Bench.IsRequestFailure(e))
                {
                }
            }
            foreach (var client in clients)
                client.Dispose();
        }
    }

    /// <summary>One sequential writer: half creates, then updates of the same objects; keyed by the resulting resourceVersion.</summary>
    private static async Task<Dictionary<string, (long Send, long Ack)>> WriteAsync(KubeClient writer, int writes, TimeSpan interval, CancellationToken token)
    {
        var sent = new Dictionary<string, (long, long)>(writes);
        var creates = writes / 2;
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
