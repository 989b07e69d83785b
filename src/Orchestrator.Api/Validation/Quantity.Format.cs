using System.Numerics;

namespace Orchestrator.Api.Validation;

// Canonical printing, following Kubernetes' rules: keep the written format where it can
// represent the value exactly; use powers of 1000 (or 1024) as large as divide evenly.
public sealed partial class Quantity
{
    private static readonly string[] DecimalSuffixes = ["n", "u", "m", "", "k", "M", "G", "T", "P", "E"];

    public override string ToString()
    {
        if (Mantissa.IsZero)
        {
            return "0";
        }

        QuantityFormat format = Format;
        if (format == QuantityFormat.BinarySI)
        {
            // Binary suffixes cannot show fractions (normalised, a fraction is a negative
            // exponent), and small numbers read better plain: "512", not "0.5Ki".
            bool small = CompareTo(FromInteger(1024)) < 0 && CompareTo(FromInteger(-1024)) > 0;
            if (Exponent < 0 || small)
            {
                format = QuantityFormat.DecimalSI;
            }
        }

        return format == QuantityFormat.BinarySI ? FormatBinary() : FormatDecimal(format);
    }

    private string FormatBinary()
    {
        BigInteger value = Mantissa * BigInteger.Pow(10, Exponent);
        int power = 0;
        while (power < BinarySuffixes.Length - 1 && !value.IsZero && BigInteger.Remainder(value, 1024).IsZero)
        {
            value /= 1024;
            power++;
        }

        return Invariant(value) + BinarySuffixes[power];
    }

    private string FormatDecimal(QuantityFormat format)
    {
        // Lower the exponent to a multiple of three ("1500m" rather than "15e-1").
        int exponent = (int)Math.Floor(Exponent / 3.0) * 3;
        BigInteger mantissa = Mantissa * BigInteger.Pow(10, Exponent - exponent);
        if (format == QuantityFormat.DecimalExponent)
        {
            return exponent == 0 ? Invariant(mantissa) : $"{Invariant(mantissa)}e{exponent}";
        }

        // SI suffixes stop at E (10^18): larger values grow the number instead.
        if (exponent > 18)
        {
            mantissa *= BigInteger.Pow(10, exponent - 18);
            exponent = 18;
        }

        return Invariant(mantissa) + DecimalSuffixes[(exponent / 3) + 3];
    }
}
