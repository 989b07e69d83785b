namespace Orchestrator.Storage.Metrics;

/// <summary>
/// The last <see cref="Capacity"/> samples of one latency, for a point-in-time percentile (the dashboard's "fsync
/// p99 now"), where the Prometheus histogram only gives rates over a scrape window.
/// </summary>
public sealed class RecentLatencies
{
    public const int Capacity = 256;

    private readonly double[] samples = new double[Capacity];
    private readonly Lock gate = new();
    private int count;
    private int next;

    public void Record(TimeSpan elapsed)
    {
        lock (gate)
        {
            samples[next] = elapsed.TotalSeconds;
            next = (next + 1) % Capacity;
            count = Math.Min(count + 1, Capacity);
        }
    }

    /// <summary>The <paramref name="quantile"/> (0..1) of the recent samples, in seconds; 0 with none yet.</summary>
    public double Quantile(double quantile)
    {
        double[] copy;
        lock (gate)
            copy = samples[..count];
        if (copy.Length == 0)
            return 0;
        Array.Sort(copy);
        return copy[Math.Clamp((int)Math.Ceiling(quantile * copy.Length) - 1, 0, copy.Length - 1)];
    }
}
