using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Orchestrator.Server.Security.Authentication;

/// <summary>What a service-account token is bound to besides its service account: a Pod or Secret (deleted: the token dies).</summary>
public sealed record BoundObject(string Kind, string Name, string Uid);

/// <summary>
/// Service-account tokens as kube's bound tokens: ES256 JWTs signed with the cluster's service-account key
/// (DIR/sa.key beside the CA, made once and shared by every replica), issuer and audience
/// <see cref="Issuer"/>, claims sub = system:serviceaccount:NS:NAME and kubernetes.io {namespace, serviceaccount,
/// pod|secret}. Validation is Microsoft.IdentityModel's; the caller checks that the bound objects still exist.
/// </summary>
public sealed class ServiceAccountTokens : IDisposable
{
    public const string Issuer = "https://kubernetes.default.svc.cluster.local";
    public const string KeyFile = "sa.key";

    private readonly ECDsa key;
    private readonly ECDsaSecurityKey securityKey;
    private readonly JsonWebTokenHandler handler = new() { SetDefaultTimesOnTokenCreation = false };

    public ServiceAccountTokens(string pkiDirectory)
    {
        key = LoadOrCreate(pkiDirectory);
        securityKey = new ECDsaSecurityKey(key) { KeyId = KeyId(key) };
    }

    public string Issue(string ns, string serviceAccount, string serviceAccountUid, IReadOnlyList<string> audiences, DateTimeOffset now,
        TimeSpan lifetime, BoundObject? bound)
    {
        var kubernetes = new Dictionary<string, object>
        {
            ["namespace"] = ns,
            ["serviceaccount"] = new Dictionary<string, object> { ["name"] = serviceAccount, ["uid"] = serviceAccountUid },
        };
        if (bound is not null)
            kubernetes[bound.Kind.ToLowerInvariant()] = new Dictionary<string, object> { ["name"] = bound.Name, ["uid"] = bound.Uid };
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.Add(lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(securityKey, SecurityAlgorithms.EcdsaSha256),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = $"{Authorization.Rbac.RoleBindingSubject.ServiceAccountPrefix}{ns}:{serviceAccount}",
                ["jti"] = Guid.NewGuid().ToString(),
                ["kubernetes.io"] = kubernetes,
            },
        };
        foreach (var audience in audiences)
            descriptor.Audiences.Add(audience);
        return handler.CreateToken(descriptor);
    }

    /// <summary>The token's claims when its signature, issuer, audience and lifetime hold; null otherwise (never throws).</summary>
    public async Task<JsonWebToken?> ValidateAsync(string token, IReadOnlyList<string> audiences)
    {
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudiences = audiences,
            IssuerSigningKey = securityKey,
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = TimeSpan.FromSeconds(30),
        };
        try
        {
            var result = await handler.ValidateTokenAsync(token, parameters);
            return result.IsValid ? result.SecurityToken as JsonWebToken : null;
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenException or FormatException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>Whether a token claims to come from this issuer (read without validation; decides whose token it is).</summary>
    public static bool ClaimsOurIssuer(string token) => UnverifiedJwt.IssuerOf(token) == Issuer;

    /// <summary>The OpenID discovery document of the token issuer (served at /.well-known/openid-configuration).</summary>
    public JsonObject Discovery(string jwksUri) => new()
    {
        ["issuer"] = Issuer,
        ["jwks_uri"] = jwksUri,
        ["response_types_supported"] = new JsonArray("id_token"),
        ["subject_types_supported"] = new JsonArray("public"),
        ["id_token_signing_alg_values_supported"] = new JsonArray("ES256"),
    };

    /// <summary>The public key as a JWKS document (served at /openid/v1/jwks).</summary>
    public JsonObject Jwks()
    {
        var parameters = key.ExportParameters(includePrivateParameters: false);
        return new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["use"] = "sig",
                ["kty"] = "EC",
                ["kid"] = securityKey.KeyId,
                ["crv"] = "P-256",
                ["alg"] = "ES256",
                ["x"] = Base64UrlEncoder.Encode(parameters.Q.X),
                ["y"] = Base64UrlEncoder.Encode(parameters.Q.Y),
            }),
        };
    }

    public void Dispose() => key.Dispose();

    private static string KeyId(ECDsa key) => Base64UrlEncoder.Encode(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));

    private static ECDsa LoadOrCreate(string directory)
    {
        var path = Path.Combine(directory, KeyFile);
        var key = ECDsa.Create();
        if (!File.Exists(path))
        {
            // Replicas starting together must agree on one key: whoever writes first wins, the others read it.
            using var fresh = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var temp = $"{path}.{Environment.ProcessId}.tmp";
            File.WriteAllText(temp, fresh.ExportPkcs8PrivateKeyPem());
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            try
            {
                File.Move(temp, path, overwrite: false);
            }
            catch (IOException)
            {
                File.Delete(temp);
            }
        }
        key.ImportFromPem(File.ReadAllText(path));
        return key;
    }
}
