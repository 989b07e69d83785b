using Orchestrator.Chaos.Checkers;
using Orchestrator.Chaos.History;

namespace Orchestrator.Chaos.Runs;

/// <summary>
/// What a run found: the history, the linearizability verdict over every workload's keys, the other checkers'
/// verdicts (list-append, create-unique, watch), and the longest unavailability per fault kind.
/// </summary>
public sealed record RunResult(RunHistory History, LinearizabilityResult Linearizability, IReadOnlyList<CheckResult> Checks,
    IReadOnlyDictionary<string, TimeSpan> LongestUnavailable)
{
    public int Operations => History.Operations.Count;

    public int Unknowns => History.Operations.Count(o => o.Outcome == Outcome.Info);

    public int LostWrites => Checks.Sum(c => c.LostWrites);

    /// <summary>Illegal when any checker found a violation; Unknown when none did but one could not finish; else Ok.</summary>
    public Verdict Verdict =>
        Linearizability.Verdict == Verdict.Illegal || Checks.Any(c => c.Verdict == Verdict.Illegal) ? Verdict.Illegal
        : Linearizability.Verdict == Verdict.Unknown || Checks.Any(c => c.Verdict == Verdict.Unknown) ? Verdict.Unknown
        : Verdict.Ok;

    public string VerdictLine()
    {
        var ops = History.Operations;
        var outages = string.Join(", ", LongestUnavailable.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value.TotalSeconds:F1}s"));
        var violations = Linearizability.Violations.Count();
        var watch = Checks.FirstOrDefault(c => c.Name == "watch");
        return $"{(Verdict == Verdict.Ok ? "VALID" : Verdict == Verdict.Illegal ? "INVALID" : "UNKNOWN")}: " +
            $"{History.Workload}, {ops.Count} ops ({ops.Count(o => o.Outcome == Outcome.Ok)} ok, {ops.Count(o => o.Outcome == Outcome.Fail)} fail, {Unknowns} unknown), " +
            $"{History.Faults.Count} faults ({string.Join(",", History.Nemeses)}), {violations} linearizability violation(s), " +
            string.Join(", ", Checks.Where(c => c.Name != "watch").Select(c => $"{c.Name} {(c.Verdict == Verdict.Ok ? "ok" : c.Verdict.ToString())}")) +
            (watch is null ? "" : $", watch {WatchChecker.Guarantees.Length - WatchChecker.Guarantees.Count(g => watch.Problems.Any(p => p.StartsWith(g + ":")))}/6") +
            $", {LostWrites} acknowledged write(s) lost" +
            (outages.Length > 0 ? $"; longest unavailability: {outages}" : "");
    }
}
