using System.Globalization;

namespace Orchestrator.Node.Agent;

/// <summary>
/// Just enough of resource.Quantity for cgroup limits: memory in bytes and cpu in millicores. The API server
/// validated the text already, so anything unparsable here means "no limit" rather than an error.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public static class ResourceQuantity
{
    private static readonly (string Suffix, decimal Factor)[] Suffixes =
    [
        ("Ki", 1L << 10), ("Mi", 1L << 20), ("Gi", 1L << 30), ("Ti", 1L << 40), ("Pi", 1L << 50), ("Ei", 1L << 60),
        ("n", 1e-9m), ("u", 1e-6m), ("m", 1e-3m), ("k", 1e3m), ("M", 1e6m), ("G", 1e9m), ("T", 1e12m), ("P", 1e15m), ("E", 1e18m),
    ];

    public static decimal? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        text = text.Trim();
        foreach (var (suffix, factor) in Suffixes)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal)
                && decimal.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var scaled))
                return scaled * factor;
        }
        return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var plain) ? plain : null;
    }

    public static long? Bytes(string? text) => Parse(text) is { } value ? (long)Math.Ceiling(value) : null;

    public static long? Millicores(string? text) => Parse(text) is { } value ? (long)Math.Ceiling(value * 1000) : null;
}
