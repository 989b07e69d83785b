using Cronos;
using Orchestrator.Api.Validation;

namespace Orchestrator.Controllers.Batch;

/// <summary>
/// A CronJob's schedule, as <see cref="CronScheduleRule"/> reads it (the API server validated it with the same rule),
/// in spec.timeZone or UTC.
/// </summary>
internal sealed class CronSchedule
{
    private const int MaxMissed = 10_000;

    private readonly CronExpression expression;
    private readonly TimeZoneInfo zone;

    private CronSchedule(CronExpression expression, TimeZoneInfo zone, bool seconds)
    {
        this.expression = expression;
        this.zone = zone;
        HasSeconds = seconds;
    }

    /// <summary>True when occurrences can be less than a minute apart (job names then carry seconds).</summary>
    public bool HasSeconds { get; }

    /// <exception cref="FormatException">The schedule or the time zone is not understood.</exception>
    public static CronSchedule Parse(string schedule, string? timeZone)
    {
        if (!CronScheduleRule.TryParse(schedule, out var expression, out var seconds, out var error))
            throw new FormatException($"{error}: \"{schedule}\"");
        TimeZoneInfo zone;
        try
        {
            zone = string.IsNullOrEmpty(timeZone) ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new FormatException($"unknown time zone {timeZone}", e);
        }
        return new CronSchedule(expression, zone, seconds);
    }

    /// <summary>The latest occurrence in (after, now], or null; kube likewise starts only the most recent missed run.</summary>
    public DateTimeOffset? MostRecent(DateTimeOffset after, DateTimeOffset now)
    {
        DateTimeOffset? last = null;
        var count = 0;
        // Enumerating a long gap of a per-second schedule is bounded; past the bound, jump close to now.
        if (now - after > TimeSpan.FromSeconds(MaxMissed) && HasSeconds)
            after = now - TimeSpan.FromSeconds(MaxMissed);
        foreach (var time in expression.GetOccurrences(after, now, zone, fromInclusive: false, toInclusive: true))
        {
            last = time;
            if (++count > MaxMissed * 60)
                break;
        }
        return last;
    }

    public DateTimeOffset? Next(DateTimeOffset now) => expression.GetNextOccurrence(now, zone, inclusive: false);
}
