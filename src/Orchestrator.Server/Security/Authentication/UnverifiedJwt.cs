using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Orchestrator.Server.Security.Authentication;

/// <summary>Reads a JWT's issuer before any check, so each JWT authenticator takes only the tokens of its issuer.</summary>
public static class UnverifiedJwt
{
    /// <summary>The "iss" claim of a compact JWT, or null when the text is not one.</summary>
    public static string? IssuerOf(string token)
    {
        if (token.Count(c => c == '.') != 2 || token.Length > 16 * 1024)
            return null;
        try
        {
            return new JsonWebToken(token).Issuer;
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenException or FormatException or System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
