using Orchestrator.Controllers.Batch;

namespace Orchestrator.Controllers.Tests.Batch;

/// <summary>Schedules as the cronjob controller reads them.</summary>
public sealed class CronScheduleTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 10, 12, 34, 56, TimeSpan.Zero);

    [Theory]
    [InlineData("*/15 * * * *", "2025-03-10T12:30:00Z", false)]
    [InlineData("@hourly", "2025-03-10T12:00:00Z", false)]
    [InlineData("* * * * * *", "2025-03-10T12:34:56Z", true)]
    [InlineData("0 0 * * *", null, false)]
    public void MostRecentMissedRunSinceAnHourAgo(string schedule, string? expected, bool seconds)
    {
        var parsed = CronSchedule.Parse(schedule, null);
        Assert.Equal(seconds, parsed.HasSeconds);
        Assert.Equal(expected is null ? null : DateTimeOffset.Parse(expected), parsed.MostRecent(Now.AddHours(-1), Now));
    }

    [Fact]
    public void TimeZoneShiftsTheSchedule()
    {
        var parsed = CronSchedule.Parse("0 9 * * *", "Europe/Berlin");
        Assert.Equal(new DateTimeOffset(2025, 3, 11, 8, 0, 0, TimeSpan.Zero), parsed.Next(Now));
    }

    [Theory]
    [InlineData("not a schedule", null)]
    [InlineData("* * * * *", "Mars/Olympus")]
    public void RejectsWhatItCannotRead(string schedule, string? zone) =>
        Assert.Throws<FormatException>(() => CronSchedule.Parse(schedule, zone));
}
