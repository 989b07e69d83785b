namespace Orchestrator.Node.Benchmarks;

/// <summary>Latency samples as one line: count, p50, p90, p99 and max.</summary>
internal static class LatencySummary
{
    public static string Of(IReadOnlyCollection<TimeSpan> latencies)
    {
        if (latencies.Count == 0)
            return "no samples";
        var sorted = latencies.Select(l => l.TotalMilliseconds).Order().ToList();
        double At(double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
        return $"n={sorted.Count} p50 {At(0.50):F1} ms, p90 {At(0.90):F1} ms, p99 {At(0.99):F1} ms, max {sorted[^1]:F1} ms";
    }
}
