using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Orchestrator.Server.Security.Authentication;

/// <summary>
/// kube's webhook token authentication: a token no other authenticator took is sent as a TokenReview (v1) to the
/// server a kubeconfig-style file names; its answer is cached by the token's hash, a yes for the configured TTL and a no
/// for ten seconds. An unreachable or broken webhook is a failed authentication (401), not cached.
/// </summary>
public sealed class WebhookTokenAuthenticator : ITokenAuthenticator, IDisposable
{
    private static readonly TimeSpan DeniedTtl = TimeSpan.FromSeconds(10);
    private const int MaxCached = 10_000;

    private readonly Uri server;
    private readonly HttpClient http;
    private readonly TimeSpan allowedTtl;
    private readonly TimeProvider clock;
    private readonly ILogger<WebhookTokenAuthenticator> logger;
    private readonly ConcurrentDictionary<string, (AuthenticationResult Result, DateTimeOffset Expires)> cache = new(StringComparer.Ordinal);

    public WebhookTokenAuthenticator(string configFile, TimeSpan cacheTtl, TimeProvider clock, ILogger<WebhookTokenAuthenticator> logger)
    {
        (server, http) = Connect(configFile);
        allowedTtl = cacheTtl;
        this.clock = clock;
        this.logger = logger;
    }

    public async ValueTask<AuthenticationResult> AuthenticateAsync(string token, CancellationToken cancellationToken)
    {
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        var now = clock.GetUtcNow();
        if (cache.TryGetValue(key, out var cached) && cached.Expires > now)
            return cached.Result;
        AuthenticationResult result;
        try
        {
            result = await ReviewAsync(token, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or System.Text.Json.JsonException or InvalidOperationException
                                      or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Token webhook {Server} failed: {Message}", server, e.Message);
            return AuthenticationResult.Failure($"token webhook: {e.Message}");
        }
        if (cache.Count >= MaxCached)
        {
            foreach (var (stale, entry) in cache)
            {
                if (entry.Expires <= now)
                    cache.TryRemove(stale, out _);
            }
        }
        if (cache.Count < MaxCached)
            cache[key] = (result, now + (result.Succeeded ? allowedTtl : DeniedTtl));
        return result;
    }

    private async Task<AuthenticationResult> ReviewAsync(string token, CancellationToken cancellationToken)
    {
        var review = new JsonObject
        {
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["kind"] = "TokenReview",
            ["spec"] = new JsonObject { ["token"] = token },
        };
        using var response = await http.PostAsJsonAsync(server, review, cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"the webhook answered {(int)response.StatusCode}");
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken)) as JsonObject
            ?? throw new InvalidOperationException("the webhook's answer is not a TokenReview");
        var status = answer["status"] as JsonObject;
        if (status?["authenticated"]?.GetValueKind() != System.Text.Json.JsonValueKind.True)
            return AuthenticationResult.Failure($"token webhook: not authenticated {status?["error"]?.ToString() ?? ""}".TrimEnd());
        var user = status["user"] as JsonObject;
        var name = user?["username"]?.GetValue<string>();
        if (string.IsNullOrEmpty(name))
            return AuthenticationResult.Failure("token webhook: authenticated without a username");
        var groups = (user!["groups"] as JsonArray)?.Select(g => g?.GetValue<string>()).OfType<string>().ToList() ?? [];
        var extra = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var (field, values) in user["extra"] as JsonObject ?? [])
            extra[field] = (values as JsonArray)?.Select(v => v?.GetValue<string>()).OfType<string>().ToList() ?? [];
        return AuthenticationResult.Success(new UserInfo(name, groups) { Uid = user["uid"]?.GetValue<string>() ?? "", Extra = extra });
    }

    /// <summary>The webhook's URL and an HTTPS client from the file's first cluster and user (kubeconfig format).</summary>
    private static (Uri Server, HttpClient Http) Connect(string path)
    {
        var config = new DeserializerBuilder().WithNamingConvention(HyphenatedNamingConvention.Instance).IgnoreUnmatchedProperties().Build()
            .Deserialize<WebhookConfig?>(File.ReadAllText(path));
        var cluster = config?.Clusters?.FirstOrDefault()?.Cluster ?? throw new InvalidOperationException($"{path}: no cluster");
        if (!Uri.TryCreate(cluster.Server, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps)
            throw new InvalidOperationException($"{path}: the cluster's server must be an https URL");
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string? Read(string? file, string? data) =>
            data is not null ? Encoding.UTF8.GetString(Convert.FromBase64String(data)) : file is null ? null : File.ReadAllText(Path.Combine(directory, file));
        var roots = Read(cluster.CertificateAuthority, cluster.CertificateAuthorityData) is { } ca ? RemoteTls.RootsFromPem(ca) : null;
        var user = config.Users?.FirstOrDefault()?.User;
        X509Certificate2? certificate = null;
        if (Read(user?.ClientCertificate, user?.ClientCertificateData) is { } certPem && Read(user?.ClientKey, user?.ClientKeyData) is { } keyPem)
        {
            // A certificate loaded from PEM holds an ephemeral key that TLS on Linux can use only after a PKCS#12 round trip.
            using var loaded = X509Certificate2.CreateFromPem(certPem, keyPem);
            certificate = X509CertificateLoader.LoadPkcs12(loaded.Export(X509ContentType.Pkcs12), null);
        }
        var http = RemoteTls.Client(roots, certificate, TimeSpan.FromSeconds(10));
        if (user?.Token is { } token)
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return (url, http);
    }

    public void Dispose() => http.Dispose();

    private sealed class WebhookConfig
    {
        public List<NamedCluster>? Clusters { get; set; }
        public List<NamedUser>? Users { get; set; }
    }

    private sealed class NamedCluster
    {
        public ClusterEntry? Cluster { get; set; }
    }

    private sealed class ClusterEntry
    {
        public string? Server { get; set; }
        public string? CertificateAuthority { get; set; }
        public string? CertificateAuthorityData { get; set; }
    }

    private sealed class NamedUser
    {
        public UserEntry? User { get; set; }
    }

    private sealed class UserEntry
    {
        public string? ClientCertificate { get; set; }
        public string? ClientCertificateData { get; set; }
        public string? ClientKey { get; set; }
        public string? ClientKeyData { get; set; }
        public string? Token { get; set; }
    }
}
