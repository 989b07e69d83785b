using System.Diagnostics;

namespace Orchestrator.Api.Benchmarks;

/// <summary>A replicated system whose leader can be killed, written to round-robin over its members.</summary>
internal interface IFailoverTarget
{
    string Name { get; }

    int Members { get; }

    /// <summary>One write through member <paramref name="member"/>; throws on failure or after its own timeout.</summary>
    Task WriteAsync(int member, string key, CancellationToken token);

    /// <summary>Finds the leader and kill -9s it; returns its name and the Stopwatch timestamp taken right after the signal.</summary>
    Task<(string Name, long KilledAt)> KillLeaderAsync(CancellationToken token);

    /// <summary>Restarts the killed member and waits until all members are ready and agree on a leader.</summary>
    Task RestartKilledAsync(CancellationToken token);
}

/// <summary>
/// Failover gap: writes sent at a fixed rate (open loop: a slow write does not hold back the next), round-robin over
/// all members, errors tolerated; after <c>before</c> the leader is killed with SIGKILL and writing goes on for
/// <c>after</c>. Reported per trial: the longest time between two successful writes (acknowledgements) from the kill
/// to the end, and the time from the kill to the first acknowledged write that was sent after it.
/// </summary>
internal static class FailoverBenchmark
{
    private static readonly TimeSpan Before = TimeSpan.FromSeconds(1);

    public static async Task RunAsync(IFailoverTarget target, int trials, int rate, TimeSpan after, CancellationToken token)
    {
        Console.WriteLine($"== failover ({target.Name}): {rate} writes/s round-robin over {target.Members} members, kill -9 of the leader " +
                          $"{Before.TotalSeconds:F0} s in, writing {after.TotalSeconds:F0} s more");
        Console.WriteLine($"{"trial",5} {"killed",-10} {"longest gap ms",14} {"kill->next new write ms",23} {"ok",6} {"errors",6}");
        var gaps = new List<double>();
        for (var trial = 1; trial <= trials; trial++)
        {
            if (trial > 1)
                await target.RestartKilledAsync(token);
            var result = await TrialAsync(target, trial, rate, after, token);
            gaps.Add(result.Gap);
            Console.WriteLine($"{trial,5} {result.Killed,-10} {result.Gap,14:F0} {result.FirstNewWrite,23:F0} {result.Ok,6} {result.Errors,6}");
        }
        await target.RestartKilledAsync(token);
        gaps.Sort();
        Console.WriteLine($"{target.Name} failover gap over {trials} trials: median {gaps[gaps.Count / 2]:F0} ms, max {gaps[^1]:F0} ms");
    }

    private sealed record Trial(string Killed, double Gap, double FirstNewWrite, int Ok, int Errors);

    private static async Task<Trial> TrialAsync(IFailoverTarget target, int trial, int rate, TimeSpan after, CancellationToken token)
    {
        var acks = new List<(long Sent, long Acked)>();
        var errors = 0;
        var writes = new List<Task>();
        var clock = Stopwatch.StartNew();
        var interval = TimeSpan.FromSeconds(1.0 / rate);
        Task<(string Name, long KilledAt)>? killing = null;
        for (var n = 0; clock.Elapsed < Before + after; n++)
        {
            var due = interval * n;
            if (clock.Elapsed < due)
                await Task.Delay(due - clock.Elapsed, token);
            if (killing is null && clock.Elapsed >= Before)
                killing = target.KillLeaderAsync(token);
            var member = n % target.Members;
            var key = $"t{trial}-{n}";
            writes.Add(Task.Run(async () =>
            {
                var sent = Stopwatch.GetTimestamp();
                try
                {
                    await target.WriteAsync(member, key, token);
                    var acked = Stopwatch.GetTimestamp();
                    lock (acks)
                        acks.Add((sent, acked));
                }
                catch (Exception) when (!token.IsCancellationRequested)
                {
                    Interlocked.Increment(ref errors);
                }
            }, token));
        }
        var end = Stopwatch.GetTimestamp();
        var (killed, killAt) = await killing!;
        await Task.WhenAll(writes);

        // The longest stretch inside [kill, end] with no acknowledgement, starting from the last one before the kill.
        var times = acks.Select(a => a.Acked).Where(t => t <= end).Order().ToList();
        var previous = times.LastOrDefault(t => t <= killAt, killAt);
        var gap = 0.0;
        foreach (var t in times.Where(t => t > killAt).Append(end))
        {
            gap = Math.Max(gap, Stopwatch.GetElapsedTime(previous, t).TotalMilliseconds);
            previous = t;
        }
        var firstNew = acks.Where(a => a.Sent >= killAt).Select(a => a.Acked).DefaultIfEmpty(long.MaxValue).Min();
        var firstNewMs = firstNew == long.MaxValue ? double.NaN : Stopwatch.GetElapsedTime(killAt, firstNew).TotalMilliseconds;
        return new Trial(killed, gap, firstNewMs, acks.Count, errors);
    }
}
