using System.Globalization;
using System.Text;

namespace Orchestrator.Api.Protobuf;

/// <summary>Formats nanoseconds the way Go's time.Duration.String does, which is metav1.Duration's JSON.</summary>
internal static class GoDuration
{
    public static string Format(long nanoseconds)
    {
        if (nanoseconds == 0)
        {
            return "0s";
        }

        var text = new StringBuilder();
        if (nanoseconds < 0)
        {
            text.Append('-');
        }

        // Magnitude as unsigned so long.MinValue does not overflow.
        ulong n = nanoseconds < 0 ? (ulong)(-(nanoseconds + 1)) + 1 : (ulong)nanoseconds;
        if (n < 1_000_000_000)
        {
            // Sub-second: the largest unit that keeps an integer part, as Go does.
            (ulong unit, string suffix) = n < 1_000 ? (1UL, "ns") : n < 1_000_000 ? (1_000UL, "µs") : (1_000_000UL, "ms");
            return text.Append(Fraction(n, unit)).Append(suffix).ToString();
        }

        ulong hours = n / 3_600_000_000_000;
        ulong minutes = n / 60_000_000_000 % 60;
        ulong secondsNanos = n % 60_000_000_000;
        if (hours > 0)
        {
            text.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
        }

        if (hours > 0 || minutes > 0)
        {
            text.Append(minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        }

        return text.Append(Fraction(secondsNanos, 1_000_000_000)).Append('s').ToString();
    }

    /// <summary><paramref name="value"/>/<paramref name="unit"/> with trailing fractional zeros dropped.</summary>
    private static string Fraction(ulong value, ulong unit)
    {
        string whole = (value / unit).ToString(CultureInfo.InvariantCulture);
        ulong rest = value % unit;
        if (rest == 0)
        {
            return whole;
        }

        int digits = (int)Math.Log10(unit);
        string fraction = rest.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
        return whole + "." + fraction;
    }
}
