using System.Globalization;

namespace Orchestrator.Chaos.Runs;

/// <summary>"90s", "10m", "1h" or a TimeSpan ("00:01:30").</summary>
public static class Durations
{
    public static TimeSpan Parse(string text)
    {
        if (text.Length > 1 && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount))
        {
            switch (text[^1])
            {
                case 's': return TimeSpan.FromSeconds(amount);
                case 'm': return TimeSpan.FromMinutes(amount);
                case 'h': return TimeSpan.FromHours(amount);
            }
        }
        return TimeSpan.Parse(text, CultureInfo.InvariantCulture);
    }
}
