using System.Diagnostics;

namespace Orchestrator.Api.Benchmarks;

/// <summary>Millisecond samples and their percentiles.</summary>
internal sealed class Latencies
{
    private readonly List<double> samples = [];

    public int Count => samples.Count;

    public void Add(double milliseconds) => samples.Add(milliseconds);

    public void AddSince(long startTimestamp) => samples.Add(Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds);

    public static Latencies Merge(IEnumerable<Latencies> parts)
    {
        var all = new Latencies();
        foreach (var part in parts)
            all.samples.AddRange(part.samples);
        return all;
    }

    public double Percentile(double q)
    {
        if (samples.Count == 0)
            return double.NaN;
        samples.Sort();
        return samples[Math.Min(samples.Count - 1, (int)(q * samples.Count))];
    }
}
