using System.Collections.Immutable;
using Orchestrator.Chaos.History;

namespace Orchestrator.Chaos.Checkers;

/// <summary>
/// A compare-and-set register, made deterministic over sets of states (Porcupine's powerset construction): a write of
/// unknown outcome leaves both "happened" and "did not" possible, and a later read picks between them.
/// Values are unique per write, so "the resourceVersion the update named is still current" is "the value read is
/// still the value".
/// </summary>
internal static class RegisterModel
{
    /// <summary>Stands for "no such object" in a state set (a read of a deleted key returns null).</summary>
    private const string Absent = "\u0000absent";

    public static ImmutableSortedSet<string> Initial(string? value) => [value ?? Absent];

    /// <summary>The states after <paramref name="op"/> from <paramref name="states"/>; null when none is possible.</summary>
    public static ImmutableSortedSet<string>? Step(ImmutableSortedSet<string> states, Operation op, bool unknown)
    {
        switch (op.Kind)
        {
            case "read":
                var seen = op.Output ?? Absent;
                return states.Contains(seen) ? [seen] : null;
            case "cas" or "create":
                // A create is a compare-and-set from absent.
                var expected = op.Kind == "create" ? Absent : op.Expected ?? Absent;
                if (!states.Contains(expected))
                    return unknown ? states : null;
                return unknown ? states.Add(op.Value ?? Absent) : [op.Value ?? Absent];
            default:
                throw new ArgumentException($"a register has no operation {op.Kind}");
        }
    }

    public static string Describe(Operation op) => RegisterModelText.Describe(op);
}

/// <summary>Register operations as people read them, for explanations and the report.</summary>
public static class RegisterModelText
{
    public static string Describe(Operation op) => op.Kind switch
    {
        "read" => $"read {op.Key} → {op.Output ?? "absent"}",
        "create" => $"create {op.Key} → {op.Value}",
        _ => $"cas {op.Key} {op.Expected ?? "absent"} → {op.Value}",
    };
}
