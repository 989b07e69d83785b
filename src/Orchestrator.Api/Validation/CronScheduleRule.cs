using System.Diagnostics.CodeAnalysis;
using Cronos;

namespace Orchestrator.Api.Validation;

/// <summary>
/// A CronJob's spec.schedule, one rule for the API server's validation and the cronjob controller: what
/// Kubernetes' cron.ParseStandard reads (5 fields, @yearly/@annually/@monthly/@weekly/@daily/@midnight/@hourly),
/// plus 6 fields with seconds and Cronos' @every_minute/@every_second, which this server accepts so tests need
/// not wait for minutes. Like kube 1.32 on create, a TZ= or CRON_TZ= prefix is refused: spec.timeZone says that.
/// </summary>
public static class CronScheduleRule
{
    private static readonly string[] Macros =
        ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly", "@every_minute", "@every_second"];

    /// <summary>Parses a schedule, or says why not (the message becomes the field error).</summary>
    public static bool TryParse(string? schedule, [NotNullWhen(true)] out CronExpression? expression, out bool hasSeconds, out string error)
    {
        expression = null;
        hasSeconds = false;
        error = "";
        var text = schedule?.Trim() ?? "";
        if (text.Contains("TZ", StringComparison.Ordinal))
        {
            error = "cannot use TZ or CRON_TZ in schedule, use timeZone field instead";
            return false;
        }

        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // Macros are matched exactly, as robfig/cron does (Cronos alone would take "@HOURLY").
        if (text.StartsWith('@') ? !Macros.Contains(text) : fields.Length is not (5 or 6) || UsesCronosOnlySyntax(fields))
        {
            error = "unparseable schedule";
            return false;
        }

        hasSeconds = fields.Length == 6 || text == "@every_second";
        try
        {
            expression = CronExpression.Parse(text, hasSeconds ? CronFormat.IncludeSeconds : CronFormat.Standard);
            return true;
        }
        catch (CronFormatException e)
        {
            error = $"unparseable schedule: {e.Message}";
            return false;
        }
    }

    /// <summary>The field error for a schedule, or null when it is valid.</summary>
    public static string? Validate(string schedule) => TryParse(schedule, out _, out _, out var error) ? null : error;

    // Cronos also reads L, W and # in the day fields ("0 0 L * *"), which Kubernetes rejects.
    private static bool UsesCronosOnlySyntax(string[] fields)
    {
        int offset = fields.Length - 5;
        return fields.Any(f => f.Contains('#'))
            || IsDaySpecial(fields[offset + 2]) || IsDaySpecial(fields[offset + 4]);
    }

    private static bool IsDaySpecial(string field) =>
        field.Split(',').Any(token => token.StartsWith('L') || (token.Length > 1 && char.IsAsciiDigit(token[0]) && token[^1] is 'L' or 'W'));
}
