using Orchestrator.Chaos.History;

namespace Orchestrator.Chaos.Checkers;

/// <summary>
/// What list-append histories must show beyond linearizability, each an anomaly by name: every read of a key is a
/// prefix of the key's final list (no read saw an order the end denies, no fork), no element twice in a list, no
/// element no one appended, every acknowledged append in the final list (no lost write), and every replica's final
/// read alike. Single-object operations only, so Elle's multi-key cycles (G0, G1c, G2) cannot arise here.
/// </summary>
public static class ListAppendChecker
{
    public static CheckResult Check(IEnumerable<Operation> operations)
    {
        var ops = operations.ToList();
        var problems = new List<string>();
        var lost = 0;
        var attempted = ops.Where(o => o.Kind != "read" && o.Outcome != Outcome.Fail).Select(o => Last(o.Value)).ToHashSet();
        var reads = ops.Where(o => o.Kind == "read" && o.Outcome == Outcome.Ok).ToList();
        var keys = ops.Select(o => o.Key).Distinct().Order(StringComparer.Ordinal).ToList();
        foreach (var key in keys)
        {
            var keyReads = reads.Where(o => o.Key == key).OrderBy(o => o.Complete).ToList();
            // The final list: the latest-finishing read, which the final reads on every replica are.
            var final = keyReads.Count == 0 ? [] : Elements(keyReads[^1].Output);
            var finals = keyReads.Where(o => o.Complete >= keyReads[^1].Invoke).Select(o => o.Output ?? "").Distinct().ToList();
            foreach (var read in keyReads)
            {
                var seen = Elements(read.Output);
                if (seen.Count != seen.Distinct().Count())
                    problems.Add($"duplicate element: op {read.Id} read {key} = [{read.Output}]");
                if (seen.FirstOrDefault(e => !attempted.Contains(e)) is { } phantom)
                    problems.Add($"phantom element {phantom}: op {read.Id} read {key} = [{read.Output}], which no one appended");
                if (seen.Count > final.Count || !seen.SequenceEqual(final.Take(seen.Count)))
                    problems.Add($"not a prefix of the final list: op {read.Id} on replica {read.Replica} read {key} = [{read.Output}], final [{string.Join(' ', final)}]");
            }
            if (finals.Count > 1)
                problems.Add($"final reads of {key} differ: {string.Join(" | ", finals.Select(f => $"[{f}]"))}");
            var finalSet = final.ToHashSet();
            foreach (var append in ops.Where(o => o.Key == key && o.Kind != "read" && o.Outcome == Outcome.Ok))
            {
                if (!finalSet.Contains(Last(append.Value)))
                {
                    lost++;
                    problems.Add($"lost write: op {append.Id} appended {Last(append.Value)} to {key} (acknowledged), absent from the final [{string.Join(' ', final)}]");
                }
            }
        }
        var acknowledged = ops.Count(o => o.Kind != "read" && o.Outcome == Outcome.Ok);
        return new CheckResult("list-append", problems.Count == 0 ? Verdict.Ok : Verdict.Illegal,
            $"{keys.Count} lists, {acknowledged} acknowledged appends, {reads.Count} reads, {lost} lost", problems) { LostWrites = lost };
    }

    private static List<string> Elements(string? list) => list is null ? [] : [.. list.Split(' ', StringSplitOptions.RemoveEmptyEntries)];

    private static string Last(string? list) => Elements(list) is { Count: > 0 } e ? e[^1] : "";
}
