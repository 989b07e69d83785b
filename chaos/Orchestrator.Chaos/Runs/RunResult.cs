using Orchestrator.Chaos.Checkers;
using Orchestrator.Chaos.History;

namespace Orchestrator.Chaos.Runs;

/// <summary>What a run found: the history, the checker's verdict, and the longest unavailability per fault kind.</summary>
public sealed record RunResult(RunHistory History, LinearizabilityResult Linearizability, IReadOnlyDictionary<string, TimeSpan> LongestUnavailable)
{
    public int Operations => History.Operations.Count;

    public int Unknowns => History.Operations.Count(o => o.Outcome == Outcome.Info);

    public string VerdictLine()
    {
        var ops = History.Operations;
        var outages = string.Join(", ", LongestUnavailable.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value.TotalSeconds:F1}s"));
        var violations = Linearizability.Violations.Count();
        return $"{(Linearizability.Verdict == Verdict.Ok ? "VALID" : Linearizability.Verdict == Verdict.Illegal ? "INVALID" : "UNKNOWN")}: " +
            $"{History.Workload}, {ops.Count} ops ({ops.Count(o => o.Outcome == Outcome.Ok)} ok, {ops.Count(o => o.Outcome == Outcome.Fail)} fail, {Unknowns} unknown), " +
            $"{History.Faults.Count} faults ({string.Join(",", History.Nemeses)}), {violations} linearizability violation(s)" +
            (outages.Length > 0 ? $"; longest unavailability: {outages}" : "");
    }
}
