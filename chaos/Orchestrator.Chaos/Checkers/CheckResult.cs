namespace Orchestrator.Chaos.Checkers;

/// <summary>One checker's verdict on a run, with a line of what it counted and each problem it found.</summary>
public sealed record CheckResult(string Name, Verdict Verdict, string Summary, IReadOnlyList<string> Problems)
{
    /// <summary>Acknowledged writes this checker found missing (a lost write is also a problem listed).</summary>
    public int LostWrites { get; init; }
}
