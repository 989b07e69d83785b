namespace Orchestrator.Api.Validation;

/// <summary>How a quantity was written, which decides how it prints back.</summary>
public enum QuantityFormat
{
    /// <summary>Powers of 1000 with SI suffixes: 100m, 1, 2k, 3M.</summary>
    DecimalSI,

    /// <summary>Powers of 1024: 512Mi, 2Gi.</summary>
    BinarySI,

    /// <summary>Scientific notation: 1e3, 12e6.</summary>
    DecimalExponent,
}
