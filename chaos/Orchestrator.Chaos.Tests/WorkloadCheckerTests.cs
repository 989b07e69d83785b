using Orchestrator.Chaos.Checkers;
using Orchestrator.Chaos.History;
using Orchestrator.Chaos.Workloads;

namespace Orchestrator.Chaos.Tests;

/// <summary>The list-append, create-unique and watch checkers on small hand-made histories whose answer is known.</summary>
public sealed class WorkloadCheckerTests
{
    private int ids;

    private Operation Op(string kind, string key, Outcome outcome, long invoke, long complete, string? value = null, string? output = null,
        long? revision = null, int replica = 1) =>
        new()
        {
            Id = ++ids, Process = 0, Kind = kind, Key = key, Value = value, Output = output, Outcome = outcome, Invoke = invoke,
            Complete = complete, Revision = revision, Replica = replica,
        };

    [Fact]
    public void ListAppendAcceptsPrefixesAndCatchesLostForkedAndPhantomElements()
    {
        var good = new[]
        {
            Op("cas", "l0", Outcome.Ok, 0, 1, value: "1"),
            Op("read", "l0", Outcome.Ok, 2, 3, output: "1"),
            Op("cas", "l0", Outcome.Ok, 4, 5, value: "1 2"),
            Op("cas", "l0", Outcome.Info, 6, 7, value: "1 2 3"),
            Op("read", "l0", Outcome.Ok, 8, 9, output: "1 2 3"),
            Op("read", "l0", Outcome.Ok, 10, 11, output: "1 2 3", replica: 2),
        };
        Assert.Equal(Verdict.Ok, ListAppendChecker.Check(good).Verdict);

        var lost = ListAppendChecker.Check([.. good.Take(3), Op("read", "l0", Outcome.Ok, 8, 9, output: "1")]);
        Assert.Equal(Verdict.Illegal, lost.Verdict);
        Assert.Equal(1, lost.LostWrites);
        Assert.Contains(lost.Problems, p => p.StartsWith("lost write") && p.Contains("appended 2"));

        var fork = ListAppendChecker.Check([.. good, Op("read", "l0", Outcome.Ok, 12, 13, output: "1 3", replica: 3)]);
        Assert.Contains(fork.Problems, p => p.StartsWith("not a prefix"));

        var phantom = ListAppendChecker.Check([.. good.Take(2), Op("read", "l0", Outcome.Ok, 8, 9, output: "1 9")]);
        Assert.Contains(phantom.Problems, p => p.StartsWith("phantom element 9"));

        var twice = ListAppendChecker.Check([good[0], Op("cas", "l0", Outcome.Ok, 4, 5, value: "1 1"), Op("read", "l0", Outcome.Ok, 8, 9, output: "1 1")]);
        Assert.Contains(twice.Problems, p => p.StartsWith("duplicate element"));
    }

    [Fact]
    public void CreateUniqueCatchesTwoCreatesOfOneNameAndALostCreate()
    {
        var good = new[]
        {
            Op("create", "u1", Outcome.Ok, 0, 2, value: "p1-1"),
            Op("create", "u1", Outcome.Fail, 1, 3, value: "p2-1"),
            Op("create", "u2", Outcome.Info, 1, 3, value: "p2-2"),
            Op("read", "u1", Outcome.Ok, 10, 11, output: "p1-1"),
            Op("read", "u2", Outcome.Ok, 10, 11, output: null),
        };
        Assert.Equal(Verdict.Ok, CreateUniqueWorkload.Unique(good).Verdict);

        var twice = CreateUniqueWorkload.Unique([.. good, Op("create", "u1", Outcome.Ok, 4, 5, value: "p3-1")]);
        Assert.Contains(twice.Problems, p => p.StartsWith("u1 created 2 times"));

        var lost = CreateUniqueWorkload.Unique([good[0], Op("read", "u1", Outcome.Ok, 10, 11, output: null)]);
        Assert.Equal(1, lost.LostWrites);
        // The linearizability checker agrees: a create is a compare-and-set from absent.
        Assert.Equal(Verdict.Illegal, LinearizabilityChecker.Check(new Dictionary<string, string?>(),
            [good[0], Op("create", "u1", Outcome.Ok, 4, 5, value: "p3-1")], TimeSpan.FromSeconds(10)).Verdict);
    }

    private static WatchSession Session(int watcher, long from, bool resumed, long start, params WatchEvent[] events) => new()
    {
        Watcher = watcher, Replica = 1, Namespace = ApiClients.Namespace, From = from, Resumed = resumed, Start = start, End = start + 1, Events = events,
    };

    private static WatchEvent E(long revision, string key = "r0", string? value = null, string type = "MODIFIED") =>
        new(type, key, revision, value ?? $"v{revision}", 0);

    private static WatchEvent Bookmark(long revision) => new("BOOKMARK", "", revision, null, 0);

    private string Broken(IReadOnlyList<WatchSession> sessions, IReadOnlyList<Operation>? writes = null)
    {
        var result = WatchChecker.Check(sessions, writes ?? []).Single();
        return string.Join(" ", WatchChecker.Guarantees.Where(g => result.Problems.Any(p => p.StartsWith(g + ":"))))
            + (result.LostWrites > 0 ? " lost" : "");
    }

    [Fact]
    public void WatchHistoriesThatKeepEveryGuaranteePass()
    {
        var writes = new[] { Op("cas", "r0", Outcome.Ok, 0, 1, value: "v11", revision: 11), Op("cas", "r0", Outcome.Ok, 0, 1, value: "v12", revision: 12) };
        var result = WatchChecker.Check([
            Session(0, 10, false, 0, E(11), Bookmark(11)),
            Session(0, 11, true, 5, E(12), E(13)),
            Session(1, 10, false, 0, E(11), E(12), E(13), Bookmark(13)),
        ], writes).Single();
        Assert.Equal(Verdict.Ok, result.Verdict);
        Assert.StartsWith("6/6", result.Summary);
    }

    [Fact]
    public void EachBrokenWatchGuaranteeIsNamed()
    {
        Assert.Equal("ordered", Broken([Session(0, 10, false, 0, E(11), E(13), E(12))]));
        Assert.Equal("unique", Broken([Session(0, 10, false, 0, E(11)), Session(0, 9, false, 5, E(10), E(11))]));
        Assert.Equal("atomic", Broken([Session(0, 10, false, 0, E(11, value: "a")), Session(1, 10, false, 0, E(11, value: "b"))]));
        Assert.Equal("bookmarkable", Broken([Session(0, 10, false, 0, E(12), Bookmark(11))]));
        Assert.Equal("reliable", Broken([Session(0, 10, false, 0, E(11), E(13)), Session(1, 10, false, 0, E(11), E(12), E(13))]));
        Assert.Equal("resumable", Broken([Session(0, 10, false, 0, E(11)), Session(0, 11, true, 5, E(13)), Session(1, 10, false, 0, E(11), E(12), E(13))]));
        // An acknowledged write no watcher was given, below revisions they reached.
        var acknowledged = new[] { Op("cas", "r0", Outcome.Ok, 0, 1, value: "v12", revision: 12) };
        Assert.Equal("reliable lost", Broken([Session(0, 10, false, 0, E(11), E(13))], acknowledged));
    }
}
