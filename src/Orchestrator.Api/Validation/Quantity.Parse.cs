using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;

namespace Orchestrator.Api.Validation;

// Parsing: <sign><digits>[.<digits>]<suffix>, suffix one of the SI letters, the binary Ki..Ei,
// or an exponent e<int> / E<int>.
public sealed partial class Quantity
{
    /// <summary>Kubernetes' own description of the syntax, used as the validation message.</summary>
    public const string FormatMessage =
        "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

    private static readonly string[] BinarySuffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];

    public static Quantity Parse(string text) =>
        TryParse(text, out Quantity? quantity) ? quantity : throw new FormatException($"{FormatMessage}: \"{text}\"");

    public static bool TryParse(string? text, [NotNullWhen(true)] out Quantity? quantity)
    {
        quantity = null;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        int position = 0;
        bool negative = false;
        if (text[0] is '+' or '-')
        {
            negative = text[0] == '-';
            position++;
        }

        int numberStart = position;
        int fractionDigits = 0;
        bool seenDot = false;
        var digits = new System.Text.StringBuilder();
        for (; position < text.Length; position++)
        {
            char c = text[position];
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
                fractionDigits += seenDot ? 1 : 0;
            }
            else if (c == '.' && !seenDot)
            {
                seenDot = true;
            }
            else
            {
                break;
            }
        }

        if (digits.Length == 0 || position == numberStart)
        {
            return false;
        }

        if (!TryParseSuffix(text[position..], out int decimalExponent, out int binaryPower, out QuantityFormat format))
        {
            return false;
        }

        BigInteger mantissa = BigInteger.Parse(digits.ToString(), NumberStyles.None, CultureInfo.InvariantCulture);
        if (negative)
        {
            mantissa = -mantissa;
        }

        mantissa *= BigInteger.Pow(2, binaryPower);
        int exponent = decimalExponent - fractionDigits;
        if (exponent < MinExponent)
        {
            // Anything finer than 1n rounds up (away from zero) to the next nano, as Kubernetes does.
            mantissa = DivideAwayFromZero(mantissa, BigInteger.Pow(10, MinExponent - exponent));
            exponent = MinExponent;
        }

        quantity = new Quantity(mantissa, exponent, format);
        return true;
    }

    private static bool TryParseSuffix(string suffix, out int decimalExponent, out int binaryPower, out QuantityFormat format)
    {
        decimalExponent = 0;
        binaryPower = 0;
        format = QuantityFormat.DecimalSI;
        switch (suffix)
        {
            case "": return true;
            case "n": decimalExponent = -9; return true;
            case "u": decimalExponent = -6; return true;
            case "m": decimalExponent = -3; return true;
            case "k": decimalExponent = 3; return true;
            case "M": decimalExponent = 6; return true;
            case "G": decimalExponent = 9; return true;
            case "T": decimalExponent = 12; return true;
            case "P": decimalExponent = 15; return true;
            case "E": decimalExponent = 18; return true;
        }

        int binary = Array.IndexOf(BinarySuffixes, suffix);
        if (binary > 0)
        {
            binaryPower = binary * 10;
            format = QuantityFormat.BinarySI;
            return true;
        }

        // "e3", "E-2": a decimal exponent. "E" alone was exa, handled above.
        if (suffix.Length > 1 && suffix[0] is 'e' or 'E'
            && int.TryParse(suffix.AsSpan(1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int e)
            && suffix.Skip(1).SkipWhile(c => c is '+' or '-').All(char.IsAsciiDigit)
            && Math.Abs(e) <= 1000)
        {
            decimalExponent = e;
            format = QuantityFormat.DecimalExponent;
            return true;
        }

        return false;
    }
}
