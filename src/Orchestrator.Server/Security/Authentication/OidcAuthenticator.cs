using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Orchestrator.Server.Security.Authentication;

/// <summary>
/// OpenID Connect ID tokens of one issuer (kube's --oidc-* flags): signature by a key from the issuer's discovery
/// document and JWKS, issuer, audience (the client id) and lifetime; the user from the username claim and groups claim
/// with their prefixes. Keys are fetched on first use, kept an hour, and fetched again (at most every few seconds)
/// when a token names a key not yet seen, so an issuer may rotate its keys.
/// </summary>
public sealed class OidcAuthenticator : ITokenAuthenticator, IDisposable
{
    private static readonly TimeSpan KeepKeys = TimeSpan.FromHours(1);
    private static readonly TimeSpan MinimumRefetch = TimeSpan.FromSeconds(2);

    private static readonly string[] AsymmetricAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
    ];

    private readonly OidcOptions options;
    private readonly HttpClient http;
    private readonly TimeProvider clock;
    private readonly ILogger<OidcAuthenticator> logger;
    private readonly JsonWebTokenHandler handler = new();
    private readonly SemaphoreSlim fetching = new(1, 1);
    private OpenIdConnectConfiguration? configuration;
    private DateTimeOffset fetchedAt = DateTimeOffset.MinValue;

    public OidcAuthenticator(OidcOptions options, TimeProvider clock, ILogger<OidcAuthenticator> logger)
    {
        this.options = options;
        this.clock = clock;
        this.logger = logger;
        var roots = options.CaFile is { } caFile ? RemoteTls.RootsFromPem(File.ReadAllText(caFile)) : null;
        http = RemoteTls.Client(roots, certificate: null, TimeSpan.FromSeconds(10));
    }

    public async ValueTask<AuthenticationResult> AuthenticateAsync(string token, CancellationToken cancellationToken)
    {
        if (UnverifiedJwt.IssuerOf(token) != options.IssuerUrl)
            return AuthenticationResult.NotMine;
        TokenValidationResult result;
        try
        {
            var keys = await ConfigurationAsync(refetch: false, cancellationToken);
            result = await ValidateAsync(token, keys);
            if (!result.IsValid && result.Exception is SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException)
                result = await ValidateAsync(token, await ConfigurationAsync(refetch: true, cancellationToken));
        }
        catch (Exception e) when (e is HttpRequestException or IOException or InvalidOperationException or ArgumentException
                                      or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("OIDC issuer {Issuer} could not be read: {Message}", options.IssuerUrl, e.Message);
            return AuthenticationResult.Failure($"oidc: the issuer's keys could not be fetched: {e.Message}");
        }
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
            return AuthenticationResult.Failure($"oidc: {result.Exception?.Message ?? "invalid token"}");
        return UserOf(jwt);
    }

    private AuthenticationResult UserOf(JsonWebToken jwt)
    {
        if (!jwt.TryGetPayloadValue<string>(options.UsernameClaim, out var username) || string.IsNullOrEmpty(username))
            return AuthenticationResult.Failure($"oidc: the token has no string claim {options.UsernameClaim}");
        // kube: an email names a user only once the issuer has verified it.
        if (options.UsernameClaim == "email" && jwt.TryGetClaim("email_verified", out _)
            && !(jwt.TryGetPayloadValue<bool>("email_verified", out var verified) && verified))
            return AuthenticationResult.Failure("oidc: email not verified");
        var groups = new List<string>();
        if (options.GroupsClaim is { } groupsClaim && jwt.TryGetClaim(groupsClaim, out _))
        {
            if (jwt.TryGetPayloadValue<string[]>(groupsClaim, out var many) && many is not null)
                groups.AddRange(many.Select(g => options.GroupsPrefix + g));
            else if (jwt.TryGetPayloadValue<string>(groupsClaim, out var one) && one is not null)
                groups.Add(options.GroupsPrefix + one);
            else
                return AuthenticationResult.Failure($"oidc: claim {groupsClaim} is neither a string nor a list of strings");
        }
        return AuthenticationResult.Success(new UserInfo(options.EffectiveUsernamePrefix + username, groups));
    }

    private Task<TokenValidationResult> ValidateAsync(string token, OpenIdConnectConfiguration keys) =>
        handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = options.IssuerUrl,
            ValidAudience = options.ClientId,
            IssuerSigningKeys = keys.SigningKeys,
            ValidAlgorithms = AsymmetricAlgorithms,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateLifetime = true,
            ClockSkew = TimeSpan.FromSeconds(30),
            TryAllIssuerSigningKeys = false,
        });

    /// <summary>The issuer's discovery document with its keys, fetched when missing, old, or (refetch) when a key is unknown.</summary>
    private async Task<OpenIdConnectConfiguration> ConfigurationAsync(bool refetch, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (configuration is { } current && now - fetchedAt < (refetch ? MinimumRefetch : KeepKeys))
            return current;
        await fetching.WaitAsync(cancellationToken);
        try
        {
            if (configuration is { } fetched && clock.GetUtcNow() - fetchedAt < (refetch ? MinimumRefetch : KeepKeys))
                return fetched;
            var retriever = new HttpDocumentRetriever(http) { RequireHttps = true };
            var discovery = $"{options.IssuerUrl.TrimEnd('/')}/.well-known/openid-configuration";
            var document = await OpenIdConnectConfigurationRetriever.GetAsync(discovery, retriever, cancellationToken);
            if (document.Issuer != options.IssuerUrl)
                throw new InvalidOperationException($"the discovery document names issuer \"{document.Issuer}\", not \"{options.IssuerUrl}\"");
            configuration = document;
            fetchedAt = clock.GetUtcNow();
            return document;
        }
        finally
        {
            fetching.Release();
        }
    }

    public void Dispose()
    {
        http.Dispose();
        fetching.Dispose();
    }
}
