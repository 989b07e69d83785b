using Orchestrator.Chaos.Checkers;
using Orchestrator.Chaos.History;

namespace Orchestrator.Chaos.Tests;

/// <summary>The checker on small hand-made register histories whose answer is known.</summary>
public sealed class LinearizabilityCheckerTests
{
    private static readonly Dictionary<string, string?> Initial = new() { ["x"] = "0", ["y"] = "0" };
    private static int ids;

    private static Operation Read(int process, long invoke, long complete, string? output, string key = "x", Outcome outcome = Outcome.Ok) =>
        new() { Id = Interlocked.Increment(ref ids), Process = process, Kind = "read", Key = key, Output = output, Outcome = outcome, Invoke = invoke, Complete = complete };

    private static Operation Cas(int process, long invoke, long complete, string expected, string value, Outcome outcome = Outcome.Ok, string key = "x") =>
        new() { Id = Interlocked.Increment(ref ids), Process = process, Kind = "cas", Key = key, Expected = expected, Value = value, Outcome = outcome, Invoke = invoke, Complete = complete };

    private static Verdict Check(params Operation[] history) => LinearizabilityChecker.Check(Initial, history, TimeSpan.FromSeconds(10)).Verdict;

    [Fact]
    public void SequentialHistoryIsLinearizable() =>
        Assert.Equal(Verdict.Ok, Check(Read(0, 0, 1, "0"), Cas(0, 2, 3, "0", "a"), Read(1, 4, 5, "a"), Cas(1, 6, 7, "a", "b"), Read(0, 8, 9, "b")));

    [Fact]
    public void ConcurrentReadMaySeeEitherSide()
    {
        // The read overlaps the write: old or new value are both fine.
        Assert.Equal(Verdict.Ok, Check(Cas(0, 0, 10, "0", "a"), Read(1, 5, 6, "0")));
        Assert.Equal(Verdict.Ok, Check(Cas(0, 0, 10, "0", "a"), Read(1, 5, 6, "a")));
    }

    [Fact]
    public void StaleReadAfterAcknowledgedWriteIsIllegal()
    {
        var result = LinearizabilityChecker.Check(Initial, [Cas(0, 0, 1, "0", "a"), Read(1, 2, 3, "0")], TimeSpan.FromSeconds(10));
        Assert.Equal(Verdict.Illegal, result.Verdict);
        Assert.Contains("read x → 0", Assert.Single(result.Violations).Explanation);
    }

    [Fact]
    public void ValueNeverWrittenIsIllegal() => Assert.Equal(Verdict.Illegal, Check(Read(0, 0, 1, "ghost")));

    [Fact]
    public void TwoWinningCasFromTheSameValueAreIllegal() =>
        Assert.Equal(Verdict.Illegal, Check(Cas(0, 0, 5, "0", "a"), Cas(1, 1, 6, "0", "b"), Read(2, 7, 8, "b")));

    [Fact]
    public void ReadsGoingBackInTimeAreIllegal() =>
        // Both reads are after the write began; once one saw the new value, a later one may not see the old.
        Assert.Equal(Verdict.Illegal, Check(Cas(0, 0, 100, "0", "a"), Read(1, 10, 11, "a"), Read(2, 20, 21, "0")));

    [Fact]
    public void UnknownWriteMayOrMayNotHaveHappened()
    {
        Assert.Equal(Verdict.Ok, Check(Cas(0, 0, 1, "0", "a", Outcome.Info), Read(1, 2, 3, "0"), Read(1, 4, 5, "a")));
        Assert.Equal(Verdict.Ok, Check(Cas(0, 0, 1, "0", "a", Outcome.Info), Read(1, 2, 3, "0"), Read(1, 4, 5, "0")));
        // ...but once seen it cannot be undone.
        Assert.Equal(Verdict.Illegal, Check(Cas(0, 0, 1, "0", "a", Outcome.Info), Read(1, 2, 3, "a"), Read(1, 4, 5, "0")));
    }

    [Fact]
    public void FailedWritesDidNotHappen() =>
        Assert.Equal(Verdict.Illegal, Check(Cas(0, 0, 1, "0", "a", Outcome.Fail), Read(1, 2, 3, "a")));

    [Fact]
    public void KeysAreIndependent()
    {
        var result = LinearizabilityChecker.Check(Initial,
            [Cas(0, 0, 1, "0", "a"), Read(1, 2, 3, "0", key: "y"), Read(1, 4, 5, "a"), Read(2, 6, 7, "stale", key: "y")], TimeSpan.FromSeconds(10));
        Assert.Equal(Verdict.Illegal, result.Verdict);
        Assert.Equal("y", Assert.Single(result.Violations).Key);
    }

    [Fact]
    public void ManyConcurrentClientsOnALinearizableRegisterAreOk()
    {
        // A simulated atomic register: each operation takes effect at one instant inside its interval.
        var random = new Random(7);
        var value = "0";
        var history = new List<Operation>();
        var time = 0L;
        var pending = new List<(int Process, long Invoke, Func<long, Operation> Finish)>();
        for (var i = 0; i < 400; i++)
        {
            time += random.Next(1, 5);
            var process = i % 8;
            var invoke = time;
            time += random.Next(1, 3);
            if (random.Next(2) == 0)
            {
                var seen = value;
                pending.Add((process, invoke, complete => Read(process, invoke, complete, seen)));
            }
            else
            {
                var expected = random.Next(3) == 0 ? "other" : value;
                var next = $"v{i}";
                var applied = expected == value;
                if (applied)
                    value = next;
                pending.Add((process, invoke, complete => Cas(process, invoke, complete, expected, next, applied ? Outcome.Ok : Outcome.Fail)));
            }
            // Operations complete a little later, overlapping the next ones.
            time += random.Next(0, 3);
            history.Add(pending[^1].Finish(time + random.Next(0, 10)));
        }
        Assert.Equal(Verdict.Ok, LinearizabilityChecker.Check(Initial, history, TimeSpan.FromSeconds(30)).Verdict);
    }

    [Fact]
    public void OutOfTimeIsUnknownNotOk()
    {
        // Many overlapping unknown writes make the search space large; with no time at all it cannot say Ok.
        var history = Enumerable.Range(0, 200).Select(i => Cas(i, 0, 1, "0", $"v{i}", Outcome.Info)).Append(Read(999, 2, 3, "nothing-wrote-this"));
        Assert.Equal(Verdict.Unknown, LinearizabilityChecker.Check(Initial, history, TimeSpan.Zero).Verdict);
    }
}
