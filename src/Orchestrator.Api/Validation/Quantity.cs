using System.Globalization;
using System.Numerics;

namespace Orchestrator.Api.Validation;

/// <summary>
/// A Kubernetes resource quantity ("100m", "1.5", "2Gi", "1e3"). The value is exact
/// (<see cref="Mantissa"/> × 10^<see cref="Exponent"/>, never a double) and is rounded up to
/// nano units, as Kubernetes does. <see cref="ToString"/> gives the canonical form Kubernetes
/// prints: "1000m" becomes "1", "1024Mi" becomes "1Gi".
/// </summary>
public sealed partial class Quantity : IEquatable<Quantity>, IComparable<Quantity>
{
    /// <summary>The smallest representable unit is 1n (10^-9).</summary>
    public const int MinExponent = -9;

    private Quantity(BigInteger mantissa, int exponent, QuantityFormat format)
    {
        // Normalised: no trailing decimal zeros, so equal values have equal representations.
        if (mantissa.IsZero)
        {
            exponent = 0;
        }
        else
        {
            while (BigInteger.Remainder(mantissa, 10).IsZero)
            {
                mantissa /= 10;
                exponent++;
            }
        }

        Mantissa = mantissa;
        Exponent = exponent;
        Format = format;
    }

    public BigInteger Mantissa { get; }

    public int Exponent { get; }

    public QuantityFormat Format { get; }

    public bool IsZero => Mantissa.IsZero;

    public int Sign => Mantissa.Sign;

    /// <summary>The value in whole units, rounded up (away from zero), like Quantity.Value() in Go.</summary>
    public BigInteger Value => ScaledCeiling(0);

    /// <summary>The value in thousandths, rounded up, as CPU is usually compared.</summary>
    public BigInteger MilliValue => ScaledCeiling(-3);

    public static Quantity FromInteger(long value, QuantityFormat format = QuantityFormat.DecimalSI) => new(value, 0, format);

    public bool Equals(Quantity? other) => other is not null && Mantissa == other.Mantissa && Exponent == other.Exponent;

    public override bool Equals(object? obj) => Equals(obj as Quantity);

    public override int GetHashCode() => HashCode.Combine(Mantissa, Exponent);

    public int CompareTo(Quantity? other)
    {
        if (other is null)
        {
            return 1;
        }

        int common = Math.Min(Exponent, other.Exponent);
        BigInteger left = Mantissa * BigInteger.Pow(10, Exponent - common);
        BigInteger right = other.Mantissa * BigInteger.Pow(10, other.Exponent - common);
        return left.CompareTo(right);
    }

    private BigInteger ScaledCeiling(int exponent)
    {
        if (Exponent >= exponent)
        {
            return Mantissa * BigInteger.Pow(10, Exponent - exponent);
        }

        return DivideAwayFromZero(Mantissa, BigInteger.Pow(10, exponent - Exponent));
    }

    internal static BigInteger DivideAwayFromZero(BigInteger value, BigInteger divisor)
    {
        BigInteger quotient = BigInteger.DivRem(value, divisor, out BigInteger remainder);
        return remainder.IsZero ? quotient : quotient + value.Sign;
    }

    private static string Invariant(BigInteger value) => value.ToString(CultureInfo.InvariantCulture);
}
