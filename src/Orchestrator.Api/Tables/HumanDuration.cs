using System.Globalization;

namespace Orchestrator.Api.Tables;

/// <summary>
/// Kubernetes' duration.HumanDuration: about two significant figures, e.g. "45s", "3m20s",
/// "25m", "5h30m", "3d4h", "400d", "2y30d". kubectl users compare these by eye across tools,
/// so the thresholds are kept exactly.
/// </summary>
public static class HumanDuration
{
    /// <summary>"&lt;unknown&gt;" for a missing timestamp, as kube's translateTimestampSince.</summary>
    public const string Unknown = "<unknown>";

    public static string Format(TimeSpan d)
    {
        // Whole units truncate toward zero like Go's int(d / unit); up to 1s into the future
        // counts as "0s" to tolerate clock skew between machines.
        long seconds = d.Ticks / TimeSpan.TicksPerSecond;
        if (seconds < -1)
        {
            return "<invalid>";
        }

        if (seconds < 0)
        {
            return "0s";
        }

        if (seconds < 60 * 2)
        {
            return Invariant($"{seconds}s");
        }

        long minutes = d.Ticks / TimeSpan.TicksPerMinute;
        if (minutes < 10)
        {
            long s = seconds % 60;
            return s == 0 ? Invariant($"{minutes}m") : Invariant($"{minutes}m{s}s");
        }

        if (minutes < 60 * 3)
        {
            return Invariant($"{minutes}m");
        }

        long hours = d.Ticks / TimeSpan.TicksPerHour;
        if (hours < 8)
        {
            long m = minutes % 60;
            return m == 0 ? Invariant($"{hours}h") : Invariant($"{hours}h{m}m");
        }

        if (hours < 48)
        {
            return Invariant($"{hours}h");
        }

        if (hours < 24 * 8)
        {
            long h = hours % 24;
            return h == 0 ? Invariant($"{hours / 24}d") : Invariant($"{hours / 24}d{h}h");
        }

        if (hours < 24 * 365 * 2)
        {
            return Invariant($"{hours / 24}d");
        }

        if (hours < 24 * 365 * 8)
        {
            long dy = hours / 24 % 365;
            return dy == 0 ? Invariant($"{hours / 24 / 365}y") : Invariant($"{hours / 24 / 365}y{dy}d");
        }

        return Invariant($"{hours / 24 / 365}y");
    }

    /// <summary>The age of <paramref name="timestamp"/> at <paramref name="now"/>, or "&lt;unknown&gt;".</summary>
    public static string Since(DateTimeOffset? timestamp, DateTimeOffset now) =>
        timestamp is { } t ? Format(now - t) : Unknown;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
