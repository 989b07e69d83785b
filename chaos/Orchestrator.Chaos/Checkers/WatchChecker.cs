using Orchestrator.Chaos.History;

namespace Orchestrator.Chaos.Checkers;

/// <summary>
/// etcd's six watch guarantees, checked on every watcher's sessions against the events all watchers saw together (the
/// merged history) and the revisions acknowledged writes were given:
/// ordered (revisions only rise, across a watcher's resumed sessions too), unique (no revision twice to a watcher),
/// atomic (a revision is one event, the same for every watcher, and an acknowledged write's own),
/// bookmarkable (a bookmark is never behind an event delivered before it, nor ahead of one after it),
/// reliable (no gap: every known revision between a session's start and the last it delivered was delivered), and
/// resumable (the first event after a reopen is exactly the next known revision after the one asked for).
/// Also: every acknowledged write in a range some watch covered was delivered to a watcher (no lost write).
/// </summary>
public static class WatchChecker
{
    public static IEnumerable<CheckResult> Check(IReadOnlyList<WatchSession> sessions, IReadOnlyList<Operation> operations)
    {
        var problems = Guarantees.ToDictionary(g => g, _ => new List<string>());
        var busy = sessions.Where(s => s.Namespace == Workloads.ApiClients.Namespace).ToList();
        var acknowledged = operations.Where(o => o.Kind != "read" && o.Outcome == Outcome.Ok && o.Revision is not null)
            .GroupBy(o => o.Revision!.Value).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var (revision, writes) in acknowledged.Where(p => p.Value.Count > 1))
            problems["atomic"].Add($"revision {revision} was given to {writes.Count} acknowledged writes: ops {string.Join(", ", writes.Select(w => w.Id))}");

        // The merged history: every event any watcher of the busy namespace saw, by revision.
        var merged = new SortedDictionary<long, WatchEvent>();
        foreach (var e in busy.SelectMany(s => s.Events).Where(e => e.Type != "BOOKMARK"))
        {
            if (!merged.TryGetValue(e.Revision, out var other))
                merged[e.Revision] = e;
            else if (other.Key != e.Key || other.Value != e.Value || other.Type != e.Type)
                problems["atomic"].Add($"revision {e.Revision} is {other.Type} {other.Key}={other.Value} to one watcher and {e.Type} {e.Key}={e.Value} to another");
        }
        foreach (var (revision, writes) in acknowledged)
        {
            if (merged.TryGetValue(revision, out var e) && (e.Key != writes[0].Key || e.Value != writes[0].Value))
                problems["atomic"].Add($"revision {revision} was acknowledged to op {writes[0].Id} ({writes[0].Key}={writes[0].Value}) but watched as {e.Key}={e.Value}");
        }
        var known = new SortedSet<long>(merged.Keys.Concat(acknowledged.Keys));

        foreach (var watcher in sessions.GroupBy(s => s.Watcher))
        {
            var seen = new HashSet<long>();
            long last = 0;
            foreach (var session in watcher.OrderBy(s => s.Start))
            {
                var events = session.Events;
                var chainStart = session.Resumed ? last : 0;
                var lastEvent = session.From;
                foreach (var e in events)
                {
                    if (e.Type == "BOOKMARK")
                    {
                        if (e.Revision < lastEvent)
                            problems["bookmarkable"].Add($"watcher {watcher.Key} on replica {session.Replica}: bookmark {e.Revision} after event {lastEvent}");
                        lastEvent = Math.Max(lastEvent, e.Revision);
                        continue;
                    }
                    if (e.Revision <= lastEvent || e.Revision <= chainStart)
                        problems["ordered"].Add($"watcher {watcher.Key} on replica {session.Replica}: revision {e.Revision} after {Math.Max(lastEvent, chainStart)}");
                    if (!seen.Add(e.Revision))
                        problems["unique"].Add($"watcher {watcher.Key}: revision {e.Revision} ({e.Key}) delivered twice");
                    lastEvent = e.Revision;
                }
                if (session.Namespace != Workloads.ApiClients.Namespace || events.Count == 0)
                {
                    last = Math.Max(last, events.Count == 0 ? session.From : events[^1].Revision);
                    continue;
                }
                // Every known revision in (From, last delivered] must have come, the first of them first.
                var delivered = events.Where(e => e.Type != "BOOKMARK").Select(e => e.Revision).ToHashSet();
                var reached = events[^1].Revision;
                var expected = known.GetViewBetween(session.From + 1, Math.Max(session.From + 1, reached)).Where(r => r <= reached).ToList();
                if (expected.Count > 0 && events.FirstOrDefault(e => e.Type != "BOOKMARK") is { } first && first.Revision != expected[0])
                    problems["resumable"].Add($"watcher {watcher.Key} on replica {session.Replica} reopened at {session.From}: first event {first.Revision}, but {expected[0]} came next");
                foreach (var missing in expected.Where(r => !delivered.Contains(r)).Skip(expected.Count > 0 && !delivered.Contains(expected[0]) ? 1 : 0).Take(5))
                    problems["reliable"].Add($"watcher {watcher.Key} on replica {session.Replica} (from {session.From} to {reached}) missed revision {missing} ({Describe(missing, merged, acknowledged)})");
                last = Math.Max(last, reached);
            }
        }

        // Revisions some busy session's range covered (after what it asked for, up to the last it delivered).
        var ranges = busy.Where(s => s.Events.Count > 0).Select(s => (From: s.From, To: s.Events[^1].Revision)).ToList();
        bool Covered(long r) => ranges.Any(range => range.From < r && r <= range.To);
        var lost = acknowledged.Keys.Where(r => Covered(r) && !merged.ContainsKey(r)).Order().ToList();
        var lostProblems = lost.Select(r => $"acknowledged write at revision {r} ({Describe(r, merged, acknowledged)}) was delivered to no watcher").ToList();

        var count = sessions.Sum(s => s.Events.Count(e => e.Type != "BOOKMARK"));
        var bookmarks = sessions.Sum(s => s.Events.Count(e => e.Type == "BOOKMARK"));
        var held = Guarantees.Count(g => problems[g].Count == 0);
        var summary = $"{held}/6 guarantees ({string.Join(", ", Guarantees.Select(g => problems[g].Count == 0 ? g : $"{g} BROKEN x{problems[g].Count}"))}); " +
            $"{sessions.Count} sessions ({sessions.Count(s => s.Resumed)} resumed, {sessions.Count(s => s.Error == "410 Gone")} gone), {count} events, {bookmarks} bookmarks, " +
            $"{merged.Count} revisions merged, {lost.Count} of {acknowledged.Keys.Count(Covered)} acknowledged writes watched for undelivered";
        var all = Guarantees.SelectMany(g => problems[g].Select(p => $"{g}: {p}")).Concat(lostProblems).ToList();
        yield return new CheckResult("watch", all.Count == 0 ? Verdict.Ok : Verdict.Illegal, summary, all) { LostWrites = lost.Count };
    }

    public static readonly string[] Guarantees = ["ordered", "unique", "atomic", "bookmarkable", "reliable", "resumable"];

    private static string Describe(long revision, SortedDictionary<long, WatchEvent> merged, Dictionary<long, List<Operation>> acknowledged) =>
        merged.TryGetValue(revision, out var e) ? $"{e.Type} {e.Key}={e.Value}"
        : acknowledged.TryGetValue(revision, out var ops) ? $"op {ops[0].Id} {ops[0].Kind} {ops[0].Key}={ops[0].Value}"
        : "unknown";
}
