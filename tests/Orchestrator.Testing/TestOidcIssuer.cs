using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Orchestrator.Testing;

/// <summary>
/// An OpenID Connect issuer for tests: a discovery document and a JWKS over HTTPS, RSA signing keys that can be rotated
/// (the JWKS then holds only the new key), and ID tokens with any claims.
/// </summary>
public sealed class TestOidcIssuer : IAsyncDisposable
{
    private readonly TestHttpsServer server;
    private volatile RsaSecurityKey key = NewKey();

    private TestOidcIssuer(TestHttpsServer server) => this.server = server;

    public string IssuerUrl => server.BaseUrl;

    public string CaFile => server.CaFile;

    public static async Task<TestOidcIssuer> StartAsync()
    {
        TestOidcIssuer? issuer = null;
        var server = await TestHttpsServer.StartAsync(app =>
        {
            app.MapGet("/.well-known/openid-configuration", () => Results.Json(issuer!.Discovery()));
            app.MapGet("/keys", () => Results.Json(issuer!.Jwks()));
        });
        issuer = new TestOidcIssuer(server);
        return issuer;
    }

    /// <summary>Replaces the signing key; tokens signed by the old one no longer verify.</summary>
    public void RotateKeys() => key = NewKey();

    /// <summary>An ID token for <paramref name="audience"/> with the given claims, signed by the current key.</summary>
    public string Issue(string audience, IDictionary<string, object> claims, TimeSpan? lifetime = null, string? issuer = null)
    {
        var now = DateTime.UtcNow;
        var expires = now + (lifetime ?? TimeSpan.FromHours(1));
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? IssuerUrl,
            Audience = audience,
            IssuedAt = expires < now ? expires.AddHours(-1) : now,
            NotBefore = expires < now ? expires.AddHours(-1) : now,
            Expires = expires,
            Claims = claims,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }

    private JsonObject Discovery() => new()
    {
        ["issuer"] = IssuerUrl,
        ["jwks_uri"] = $"{IssuerUrl}/keys",
        ["response_types_supported"] = new JsonArray("id_token"),
        ["subject_types_supported"] = new JsonArray("public"),
        ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
    };

    private JsonObject Jwks()
    {
        var current = key;
        var parameters = current.Rsa.ExportParameters(false);
        return new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = "RSA",
                ["use"] = "sig",
                ["alg"] = "RS256",
                ["kid"] = current.KeyId,
                ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
                ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
            }),
        };
    }

    private static RsaSecurityKey NewKey() => new(RSA.Create(2048)) { KeyId = Guid.NewGuid().ToString("N")[..12] };

    public ValueTask DisposeAsync() => server.DisposeAsync();
}
