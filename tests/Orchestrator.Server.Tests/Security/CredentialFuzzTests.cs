using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Server.Security;
using Orchestrator.Testing;

namespace Orchestrator.Server.Tests.Security;

/// <summary>
/// Thousands of malformed, forged, expired and misdirected credentials against a real replica: every one is a
/// 401 Unauthorized Status (never a 500, never served). Seeded, so a failure names a reproducible case.
/// </summary>
public sealed class CredentialFuzzTests : IAsyncLifetime
{
    private const string ProtectedPath = "/api/v1/namespaces/default/configmaps";
    private ApiCluster cluster = null!;

    public async Task InitializeAsync() => cluster = await ApiCluster.StartAsync(1);

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    [Fact]
    public async Task FuzzedAuthorizationHeadersNeverAuthenticate()
    {
        using var http = AnonymousClient();
        var random = new Random(1201);
        var cases = Enumerable.Range(0, 8_000).Select(i => AuthorizationHeaders.Generate(random, i)).ToList();
        await RunAsync(cases, async header =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, ProtectedPath);
            Assert.True(request.Headers.TryAddWithoutValidation(header.Name, header.Value), header.ToString());
            using var response = await http.SendAsync(request);
            await AssertUnauthorizedAsync(response, header.ToString());
        });
    }

    [Fact]
    public async Task FuzzedClientCertificatesNeverAuthenticate()
    {
        using var pki = ClusterPki.LoadOrCreate(cluster.PkiDirectory);
        var forger = new CertificateForger(pki.Authority, new Random(1202));
        var cases = Enumerable.Range(0, 1_000).Select(forger.Next).ToList();
        await RunAsync(cases, async forged =>
        {
            using var certificate = forged.Certificate;
            using var http = AnonymousClient(certificate);
            using var response = await http.GetAsync(ProtectedPath);
            await AssertUnauthorizedAsync(response, forged.Description);
        });
    }

    [Fact]
    public async Task TokensSignedWithTheClusterKeyButWrongNeverAuthenticate()
    {
        // Signed by the real service-account key: only the claims are wrong (expired, not yet valid, another audience,
        // an account or bound pod that does not exist), or the token is cut or altered after signing.
        using var admin = cluster.CreateHttpClient(cluster.Replicas[0]);
        using var created = await admin.PostAsync("/api/v1/namespaces/default/serviceaccounts", new StringContent(
            """{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"fuzz"}}""", Encoding.UTF8, "application/json"));
        var uid = (string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["metadata"]!["uid"]!;
        using var tokens = new Orchestrator.Server.Security.Authentication.ServiceAccountTokens(cluster.PkiDirectory);
        var audiences = new[] { ServiceAccountTokensIssuer };
        var now = DateTimeOffset.UtcNow;
        var valid = tokens.Issue("default", "fuzz", uid, audiences, now, TimeSpan.FromHours(1), bound: null);
        using (var http = AnonymousClient())
        using (var request = new HttpRequestMessage(HttpMethod.Get, ProtectedPath) { Headers = { { "Authorization", $"Bearer {valid}" } } })
        using (var response = await http.SendAsync(request))
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode); // authenticated, and not allowed: the control case

        var random = new Random(1203);
        var cases = Enumerable.Range(0, 1_000).Select(i => (i % 8) switch
        {
            0 => ("expired", tokens.Issue("default", "fuzz", uid, audiences, now.AddHours(-3), TimeSpan.FromHours(1), null)),
            1 => ("not yet valid", tokens.Issue("default", "fuzz", uid, audiences, now.AddHours(2), TimeSpan.FromHours(1), null)),
            2 => ("wrong audience", tokens.Issue("default", "fuzz", uid, ["https://elsewhere.example.com"], now, TimeSpan.FromHours(1), null)),
            3 => ("wrong uid", tokens.Issue("default", "fuzz", Guid.NewGuid().ToString(), audiences, now, TimeSpan.FromHours(1), null)),
            4 => ("no such account", tokens.Issue("kube-system", $"ghost-{i}", Guid.NewGuid().ToString(), audiences, now, TimeSpan.FromHours(1), null)),
            5 => ("bound to a missing pod", tokens.Issue("default", "fuzz", uid, audiences, now, TimeSpan.FromHours(1),
                new Orchestrator.Server.Security.Authentication.BoundObject("Pod", $"gone-{i}", Guid.NewGuid().ToString()))),
            6 => ("truncated", valid[..random.Next(0, valid.Length - 1)]),
            _ => ("altered", Alter(random, valid)),
        }).ToList();
        using var client = AnonymousClient();
        await RunAsync(cases, async item =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, ProtectedPath);
            Assert.True(request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {item.Item2}"), item.Item1);
            using var response = await client.SendAsync(request);
            await AssertUnauthorizedAsync(response, item.Item1);
        });
    }

    private const string ServiceAccountTokensIssuer = Orchestrator.Server.Security.Authentication.ServiceAccountTokens.Issuer;

    /// <summary>The token with one character of its header, claims or signature changed.</summary>
    private static string Alter(Random random, string token)
    {
        var chars = token.ToCharArray();
        int at;
        // Not a segment's last character: its low bits may be padding that decoding ignores.
        do
            at = random.Next(chars.Length - 1);
        while (chars[at] == '.' || chars[at + 1] == '.');
        var replacement = chars[at];
        while (replacement == chars[at])
            replacement = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"[random.Next(64)];
        chars[at] = replacement;
        return new string(chars);
    }

    [Fact]
    public async Task ItsOwnGoodCredentialIsServed()
    {
        // The fuzz cases above only mean something if a well-formed credential gets through the same door.
        using var admin = cluster.CreateHttpClient(cluster.Replicas[0]);
        using var response = await admin.GetAsync(ProtectedPath);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task RunAsync<T>(IReadOnlyList<T> cases, Func<T, Task> check)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = deadline.Token }, async (item, _) => await check(item));
    }

    private static async Task AssertUnauthorizedAsync(HttpResponseMessage response, string what)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{what}: {(int)response.StatusCode} {body}");
        var status = JsonNode.Parse(body)!;
        Assert.Equal("Status", (string?)status["kind"]);
        Assert.Equal("Unauthorized", (string?)status["reason"]);
        Assert.Equal(401, (int?)status["code"]);
    }

    private HttpClient AnonymousClient(X509Certificate2? certificate = null)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions =
            {
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
                // Offer the certificate whatever issuers the server names: a forged one must reach the authenticator.
                LocalCertificateSelectionCallback = certificate is null ? null : (_, _, _, _, _) => certificate,
            },
        };
        if (certificate is not null)
            handler.SslOptions.ClientCertificates = [certificate];
        return new HttpClient(handler) { BaseAddress = cluster.Replicas[0].ApiUri, Timeout = TimeSpan.FromSeconds(30) };
    }
}

/// <summary>An Authorization header (or a WebSocket bearer subprotocol) that must not authenticate.</summary>
internal sealed record FuzzedHeader(string Name, string Value)
{
    public override string ToString() => $"{Name}: {(Value.Length > 200 ? Value[..200] + "..." : Value)}";
}

internal static class AuthorizationHeaders
{
    private const string Printable = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~+/=:;,!@#$%^&*()[]{}<>?|\\\"' \t";

    public static FuzzedHeader Generate(Random random, int index) => (index % 10) switch
    {
        0 => new("Authorization", RandomText(random, random.Next(0, 300))),
        1 => new("Authorization", "Bearer " + RandomText(random, random.Next(0, 300))),
        2 => new("Authorization", "Bearer " + JwtShaped(random)),
        3 => new("Authorization", "Bearer " + UnsignedJwt(random)),
        4 => new("Authorization", "Bearer " + ForeignKeyJwt(random)),
        5 => new("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"admin:{RandomText(random, 12)}"))),
        6 => new("Authorization", Pick(random, ["Bearer", "Bearer ", "bearer  ", "Bearer\t", "Negotiate abc", "Bearer " + new string('A', 16_000)])),
        7 => new("Sec-WebSocket-Protocol", "base64url.bearer.authorization.k8s.io." + Base64Url(RandomBytes(random, random.Next(0, 200)))),
        8 => new("Authorization", "Bearer " + Truncate(random, ForeignKeyJwt(random))),
        _ => new("Authorization", "Bearer " + Mutate(random, ForeignKeyJwt(random))),
    };

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];

    private static string RandomText(Random random, int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
            chars[i] = Printable[random.Next(Printable.Length)];
        return new string(chars).Trim();
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    internal static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Base64Url(string json) => Base64Url(Encoding.UTF8.GetBytes(json));

    private static string JwtShaped(Random random) =>
        string.Join('.', Enumerable.Range(0, random.Next(1, 5)).Select(_ => Base64Url(RandomBytes(random, random.Next(0, 120)))));

    /// <summary>Claims a service-account or OIDC token would carry, for a user who would be allowed everything.</summary>
    internal static JsonObject PlausibleClaims(Random random)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return new JsonObject
        {
            ["iss"] = random.Next(2) == 0 ? "https://kubernetes.default.svc.cluster.local" : "kubernetes/serviceaccount",
            ["sub"] = random.Next(2) == 0 ? "system:serviceaccount:kube-system:default" : "admin",
            ["aud"] = new JsonArray("https://kubernetes.default.svc.cluster.local", "api"),
            ["exp"] = now + 3600,
            ["iat"] = now,
            ["nbf"] = now,
            ["groups"] = new JsonArray("system:masters"),
            ["kubernetes.io"] = new JsonObject
            {
                ["namespace"] = "kube-system",
                ["serviceaccount"] = new JsonObject { ["name"] = "default", ["uid"] = Guid.NewGuid().ToString() },
            },
        };
    }

    private static string UnsignedJwt(Random random)
    {
        var alg = Pick(random, ["none", "None", "NONE", "nOnE", ""]);
        var header = new JsonObject { ["alg"] = alg, ["typ"] = "JWT" };
        return $"{Base64Url(header.ToJsonString())}.{Base64Url(PlausibleClaims(random).ToJsonString())}." + (random.Next(2) == 0 ? "" : Base64Url(RandomBytes(random, 32)));
    }

    /// <summary>A well-formed token signed by a key the cluster never saw (RS256, ES256 or HS256 with a guessable secret).</summary>
    private static string ForeignKeyJwt(Random random)
    {
        var claims = PlausibleClaims(random).ToJsonString();
        switch (random.Next(3))
        {
            case 0:
            {
                using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                var signing = $"{Base64Url(new JsonObject { ["alg"] = "ES256", ["typ"] = "JWT", ["kid"] = RandomText(random, 8) }.ToJsonString())}.{Base64Url(claims)}";
                return $"{signing}.{Base64Url(key.SignData(Encoding.ASCII.GetBytes(signing), HashAlgorithmName.SHA256))}";
            }
            case 1:
            {
                var signing = $"{Base64Url(new JsonObject { ["alg"] = "RS256", ["typ"] = "JWT" }.ToJsonString())}.{Base64Url(claims)}";
                return $"{signing}.{Base64Url(SharedRsa.SignData(Encoding.ASCII.GetBytes(signing), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))}";
            }
            default:
            {
                var signing = $"{Base64Url(new JsonObject { ["alg"] = "HS256", ["typ"] = "JWT" }.ToJsonString())}.{Base64Url(claims)}";
                return $"{signing}.{Base64Url(HMACSHA256.HashData(Encoding.UTF8.GetBytes("secret"), Encoding.ASCII.GetBytes(signing)))}";
            }
        }
    }

    private static readonly RSA SharedRsa = RSA.Create(2048);

    private static string Truncate(Random random, string token) => token[..random.Next(0, token.Length)];

    /// <summary>One character of the token changed (signature, header or claims).</summary>
    private static string Mutate(Random random, string token)
    {
        var chars = token.ToCharArray();
        var at = random.Next(chars.Length);
        chars[at] = chars[at] == 'A' ? 'B' : 'A';
        return new string(chars);
    }
}

internal sealed record ForgedCertificate(X509Certificate2 Certificate, string Description);

/// <summary>Client certificates that must not authenticate: self-signed, from a look-alike CA, expired, wrong usage, ...</summary>
internal sealed class CertificateForger(X509Certificate2 authority, Random random)
{
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");

    /// <summary>A CA with the cluster CA's subject and key identifier but another key.</summary>
    private readonly X509Certificate2 lookAlike = LookAlike(authority);

    public ForgedCertificate Next(int index)
    {
        var now = DateTimeOffset.UtcNow;
        return (index % 7) switch
        {
            0 => new(SelfSigned(), $"#{index} self-signed CN=admin O=system:masters"),
            1 => new(Issue(lookAlike, now.AddHours(-1), now.AddHours(1), ClientAuth), $"#{index} from a look-alike CA"),
            // The cluster CA dates from this test's start (less 5 minutes): its expired leaves lived within that.
            2 => new(Issue(authority, authority.NotBefore, authority.NotBefore.AddSeconds(random.Next(1, 60)), ClientAuth), $"#{index} expired, from the cluster CA"),
            3 => new(Issue(authority, now.AddDays(1), now.AddDays(random.Next(2, 400)), ClientAuth), $"#{index} not yet valid, from the cluster CA"),
            4 => new(Issue(authority, now.AddHours(-1), now.AddHours(1), ServerAuth), $"#{index} serverAuth only, from the cluster CA"),
            5 => new(Issue(authority, now.AddHours(-1), now.AddHours(1), ClientAuth, subject: "O=system:masters"), $"#{index} no CN, from the cluster CA"),
            _ => new(Issue(Intermediate(), now.AddHours(-1), now.AddHours(1), ClientAuth), $"#{index} leaf of an intermediate the client does not send"),
        };
    }

    private string Subject() => random.Next(3) switch
    {
        0 => "CN=admin, O=system:masters",
        1 => $"CN=system:node:n{random.Next(100)}, O=system:nodes",
        _ => $"CN=u{random.Next(1_000_000)}, O=system:masters, O=g{random.Next(10)}",
    };

    private X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(Subject(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ClientAuth], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    private X509Certificate2 Issue(X509Certificate2 issuer, DateTimeOffset notBefore, DateTimeOffset notAfter, Oid usage, string? subject = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject ?? Subject(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        // An issued certificate must lie within its issuer's validity.
        notBefore = notBefore < issuer.NotBefore ? issuer.NotBefore : notBefore;
        notAfter = notAfter > issuer.NotAfter ? issuer.NotAfter : notAfter;
        var serial = new byte[16];
        random.NextBytes(serial);
        serial[0] &= 0x7f;
        using var issued = request.Create(issuer, notBefore, notAfter, serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>A CA certificate signed by the cluster CA: its leaves chain only if the client sends it too.</summary>
    private X509Certificate2 Intermediate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=intermediate-{random.Next(1000)}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var serial = new byte[16];
        random.NextBytes(serial);
        serial[0] &= 0x7f;
        using var issued = request.Create(authority, authority.NotBefore, DateTimeOffset.UtcNow.AddDays(1), serial);
        return issued.CopyWithPrivateKey(key);
    }

    private static X509Certificate2 LookAlike(X509Certificate2 authority)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(authority.SubjectName, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.DigitalSignature, true));
        // The real CA's key identifier, so a chain builder matching by name and key id alone would be fooled.
        if (authority.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault() is { } ski)
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(ski.SubjectKeyIdentifier!, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }
}
