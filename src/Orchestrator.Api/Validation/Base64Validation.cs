namespace Orchestrator.Api.Validation;

/// <summary>Checks for base64 fields such as Secret.data, which Kubernetes decodes with standard padded base64.</summary>
public static class Base64Validation
{
    /// <summary>
    /// Standard alphabet, padded, no whitespace. Stricter than <see cref="Convert.FromBase64String(string)"/>,
    /// which skips whitespace that a Go server would reject.
    /// </summary>
    public static bool IsValid(string? text)
    {
        if (text is null || text.Length % 4 != 0)
        {
            return false;
        }

        foreach (char c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '='))
            {
                return false;
            }
        }

        byte[] buffer = new byte[text.Length / 4 * 3];
        return Convert.TryFromBase64String(text, buffer, out _);
    }

    /// <summary>Decodes, or returns null when the text is not valid base64.</summary>
    public static byte[]? TryDecode(string? text) => IsValid(text) ? Convert.FromBase64String(text!) : null;
}
