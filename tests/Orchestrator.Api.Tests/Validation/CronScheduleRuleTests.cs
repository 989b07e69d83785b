using Orchestrator.Api.Validation;

namespace Orchestrator.Api.Tests.Validation;

/// <summary>The schedules the API server admits are exactly those the cronjob controller can run.</summary>
public sealed class CronScheduleRuleTests
{
    [Theory]
    [InlineData("*/15 * * * *", false)]
    [InlineData("0 9 * * MON-FRI", false)]
    [InlineData("0 0 1,15 JAN,JUL *", false)]
    [InlineData(" 30 2 * * 0 ", false)]
    [InlineData("@hourly", false)]
    [InlineData("@annually", false)]
    [InlineData("@midnight", false)]
    [InlineData("@every_minute", false)]
    [InlineData("* * * * * *", true)]
    [InlineData("@every_second", true)]
    public void Accepts(string schedule, bool seconds)
    {
        Assert.True(CronScheduleRule.TryParse(schedule, out var expression, out var hasSeconds, out _));
        Assert.NotNull(expression);
        Assert.Equal(seconds, hasSeconds);
        Assert.Null(CronScheduleRule.Validate(schedule));
    }

    [Theory]
    [InlineData("not a schedule", "unparseable schedule")]
    [InlineData("* * * *", "unparseable schedule")]
    [InlineData("* * * * * * *", "unparseable schedule")]
    [InlineData("@HOURLY", "unparseable schedule")]
    [InlineData("@every 1h", "unparseable schedule")]
    [InlineData("0 0 L * *", "unparseable schedule")]
    [InlineData("0 0 15W * *", "unparseable schedule")]
    [InlineData("0 0 * * 5L", "unparseable schedule")]
    [InlineData("0 0 * * MON#2", "unparseable schedule")]
    [InlineData("61 * * * *", "unparseable schedule: ")]
    [InlineData("TZ=UTC 0 0 * * *", "cannot use TZ or CRON_TZ in schedule, use timeZone field instead")]
    [InlineData("CRON_TZ=Europe/Berlin 0 0 * * *", "cannot use TZ or CRON_TZ in schedule, use timeZone field instead")]
    public void Rejects(string schedule, string message)
    {
        Assert.False(CronScheduleRule.TryParse(schedule, out var expression, out _, out var error));
        Assert.Null(expression);
        Assert.StartsWith(message, error);
        Assert.Equal(error, CronScheduleRule.Validate(schedule));
    }
}
