using System.Collections.Immutable;
using System.Diagnostics;
using Orchestrator.Chaos.History;

namespace Orchestrator.Chaos.Checkers;

/// <summary>One key's part of a linearizability check.</summary>
public sealed record KeyVerdict(string Key, Verdict Verdict, int Operations, string? Explanation = null, IReadOnlyList<int>? Culprits = null);

public sealed record LinearizabilityResult(Verdict Verdict, IReadOnlyList<KeyVerdict> Keys)
{
    public IEnumerable<KeyVerdict> Violations => Keys.Where(k => k.Verdict == Verdict.Illegal);
}

/// <summary>
/// Linearizability of register histories by Porcupine's algorithm (Wing and Gong's search with Lowe's cache): keys are
/// independent registers, checked one by one; within a key, a doubly linked list of call and return entries in time
/// order (calls first on ties, the lenient reading), a stack of linearized calls to backtrack, and a cache of
/// (linearized set, state) already explored. Reads that failed tell nothing and are dropped; writes that failed did not
/// happen and are dropped; writes of unknown outcome may happen at any time after their call, or never.
/// Out of time is Unknown, never Ok.
/// </summary>
public static class LinearizabilityChecker
{
    public static LinearizabilityResult Check(IReadOnlyDictionary<string, string?> initial, IEnumerable<Operation> history, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        var keys = new List<KeyVerdict>();
        foreach (var group in history.GroupBy(o => o.Key).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var left = timeout - deadline.Elapsed;
            keys.Add(left <= TimeSpan.Zero
                ? new KeyVerdict(group.Key, Verdict.Unknown, group.Count(), "not checked: out of time")
                : CheckKey(group.Key, initial.GetValueOrDefault(group.Key), [.. group], left));
        }
        var verdict = keys.Any(k => k.Verdict == Verdict.Illegal) ? Verdict.Illegal
            : keys.Any(k => k.Verdict == Verdict.Unknown) ? Verdict.Unknown
            : Verdict.Ok;
        return new LinearizabilityResult(verdict, keys);
    }

    private sealed class Node
    {
        public Operation? Op;
        public bool IsCall;
        public int Index;
        public Node? Match;
        public Node? Prev;
        public Node? Next;
    }

    private static KeyVerdict CheckKey(string key, string? initial, List<Operation> operations, TimeSpan timeout)
    {
        var ops = operations.Where(o => o.Outcome == Outcome.Ok || (o.Outcome == Outcome.Info && o.Kind != "read")).ToList();
        var head = Link(ops);
        var linearized = new Bitset(ops.Count);
        var cache = new Dictionary<Bitset, List<ImmutableSortedSet<string>>>();
        var calls = new Stack<(Node Entry, ImmutableSortedSet<string> State)>();
        var state = RegisterModel.Initial(initial);
        var clock = Stopwatch.StartNew();
        var (deepest, stuck) = (-1, (Node?)null);
        var entry = head.Next;
        var steps = 0L;
        while (head.Next is not null)
        {
            if ((++steps & 0xFFF) == 0 && clock.Elapsed > timeout)
                return new KeyVerdict(key, Verdict.Unknown, ops.Count, $"search ran out of time after {steps:N0} steps");
            if (entry!.IsCall)
            {
                var match = entry.Match!;
                var next = RegisterModel.Step(state, entry.Op!, unknown: entry.Op!.Outcome == Outcome.Info);
                if (next is not null)
                {
                    var reached = linearized.Clone().Set(entry.Index);
                    if (!cache.TryGetValue(reached, out var seen))
                        cache[reached] = seen = [];
                    if (!seen.Any(s => s.SetEquals(next)))
                    {
                        seen.Add(next);
                        calls.Push((entry, state));
                        state = next;
                        linearized.Set(entry.Index);
                        Lift(entry);
                        entry = head.Next;
                        continue;
                    }
                }
                entry = entry.Next;
            }
            else
            {
                // An operation returned before any order of the pending ones could take it: back up.
                if (calls.Count > deepest)
                    (deepest, stuck) = (calls.Count, entry);
                if (calls.Count == 0)
                    return Illegal(key, ops, stuck ?? entry, deepest);
                var (call, previous) = calls.Pop();
                state = previous;
                linearized.Clear(call.Index);
                Unlift(call);
                entry = call.Next;
            }
        }
        return new KeyVerdict(key, Verdict.Ok, ops.Count);
    }

    private static KeyVerdict Illegal(string key, List<Operation> ops, Node stuck, int deepest)
    {
        var op = stuck.Op!;
        // The operations overlapping the one that could not be placed: where to look in the timeline.
        var culprits = ops.Where(o => o.Invoke <= op.Complete && o.Complete >= op.Invoke).Select(o => o.Id).ToList();
        return new KeyVerdict(key, Verdict.Illegal, ops.Count,
            $"after {Math.Max(deepest, 0)} operations linearized, op {op.Id} ({RegisterModel.Describe(op)}, client {op.Process}, replica {op.Replica}) fits no order",
            culprits);
    }

    /// <summary>Call and return entries in time order behind a sentinel head; unknown outcomes return at the end of time.</summary>
    private static Node Link(List<Operation> ops)
    {
        var entries = new List<(long Time, bool IsCall, Node Node)>();
        for (var i = 0; i < ops.Count; i++)
        {
            var call = new Node { Op = ops[i], IsCall = true, Index = i };
            var ret = new Node { Op = ops[i], IsCall = false, Index = i };
            call.Match = ret;
            entries.Add((ops[i].Invoke, true, call));
            entries.Add((ops[i].Outcome == Outcome.Info ? long.MaxValue : ops[i].Complete, false, ret));
        }
        entries.Sort((a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : b.IsCall.CompareTo(a.IsCall));
        var head = new Node();
        var last = head;
        foreach (var (_, _, node) in entries)
        {
            last.Next = node;
            node.Prev = last;
            last = node;
        }
        return head;
    }

    private static void Lift(Node call)
    {
        call.Prev!.Next = call.Next;
        call.Next!.Prev = call.Prev;
        var match = call.Match!;
        match.Prev!.Next = match.Next;
        if (match.Next is not null)
            match.Next.Prev = match.Prev;
    }

    private static void Unlift(Node call)
    {
        var match = call.Match!;
        match.Prev!.Next = match;
        if (match.Next is not null)
            match.Next.Prev = match;
        call.Prev!.Next = call;
        call.Next!.Prev = call;
    }
}
