using System.Globalization;
using System.Net;
using System.Net.Mail;
using System.Text.RegularExpressions;

namespace Orchestrator.Api.CustomResources;

/// <summary>
/// The string formats apiextensions-apiserver checks (kube-openapi's strfmt registry), for the
/// common ones; unknown formats, and numeric formats on strings, pass as kube lets them.
/// </summary>
internal static partial class SchemaFormats
{
    public static bool IsValid(string format, string value) => format switch
    {
        "date-time" or "datetime" => IsDateTime(value),
        "date" => DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        "byte" => IsBase64(value),
        "uri" => Uri.TryCreate(value, UriKind.Absolute, out _) || value.StartsWith('/'),
        "email" => IsEmail(value),
        "hostname" => value.Length <= 255 && HostnamePattern().IsMatch(value),
        "ipv4" => IPAddress.TryParse(value, out IPAddress? v4) && v4.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && value.Count(c => c == '.') == 3,
        "ipv6" => IPAddress.TryParse(value, out IPAddress? v6) && v6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6,
        "cidr" => IPNetwork.TryParse(value, out _),
        "uuid" => UuidPattern().IsMatch(value),
        "duration" => DurationPattern().IsMatch(value),
        _ => true,
    };

    private static bool IsDateTime(string value) =>
        // RFC 3339 with a 'T' (or 't'/space) separator and an offset or Z.
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out _) && DateTimePattern().IsMatch(value);

    private static bool IsBase64(string value)
    {
        Span<byte> scratch = value.Length <= 1024 ? stackalloc byte[value.Length] : new byte[value.Length];
        return Convert.TryFromBase64String(value, scratch, out _);
    }

    private static bool IsEmail(string value)
    {
        try
        {
            return new MailAddress(value).Address.Length > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex DateTimePattern();

    [GeneratedRegex(@"^([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$")]
    private static partial Regex HostnamePattern();

    [GeneratedRegex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    private static partial Regex UuidPattern();

    // Go's time.ParseDuration syntax: "1h30m", "250ms", "-1.5s".
    [GeneratedRegex(@"^[-+]?(\d+(\.\d*)?(ns|us|µs|ms|s|m|h))+$|^0$")]
    private static partial Regex DurationPattern();
}
