using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Orchestrator.Server.Security;
using Xunit;

namespace Orchestrator.Node.Agent.Tests;

/// <summary>
/// The agent's endpoint called directly, as kubelet's 10250: HTTPS only, a client certificate from the cluster CA
/// required (401 without), and only the API server's identity or system:masters allowed (403 for others).
/// </summary>
[Collection(AgentCollection.Name)]
public sealed class AgentEndpointSecurityTests(AgentFixture fixture)
{
    private string Authority => $"{fixture.Options.InternalIp}:{fixture.Agent.ServerPort}";

    private Uri Summary => new($"https://{Authority}/stats/summary");

    [Fact]
    public async Task Plain_http_is_refused()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync($"http://{Authority}/stats/summary"));
    }

    [Fact]
    public async Task No_client_certificate_is_401()
    {
        using var http = Client(certificate: null);
        using var response = await http.GetAsync(Summary);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_certificate_from_another_CA_is_rejected()
    {
        var other = Directory.CreateTempSubdirectory("orch-other-ca-");
        try
        {
            using var pki = ClusterPki.LoadOrCreate(other.FullName);
            // The right name, the wrong issuer.
            using var http = Client(pki.IssueClientCertificate("system:orchestrator:apiserver", ["system:masters"]));
            using var response = await http.GetAsync(Summary);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        finally
        {
            other.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task An_ordinary_cluster_user_is_403_on_every_route()
    {
        using var http = Client(ClusterCertificate("jane", ["dev"]));
        foreach (var path in new[] { "stats/summary", "containerLogs/default/any/main", "exec/default/any/main?command=sh" })
        {
            using var response = await http.GetAsync(new Uri($"https://{Authority}/{path}"));
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains("jane", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task The_api_server_identity_and_masters_get_the_summary()
    {
        X509Certificate2? served = null;
        foreach (var (user, groups) in new[] { ("system:orchestrator:apiserver", Array.Empty<string>()), ("admin", ["system:masters"]) })
        {
            using var http = Client(ClusterCertificate(user, groups), seen => served = seen);
            using var response = await http.GetAsync(Summary);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var summary = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
            Assert.Equal(fixture.NodeName, summary.Str("node", "nodeName") ?? "");
        }

        // Self-signed for the node's address and name; its key is readable by root only.
        Assert.NotNull(served);
        Assert.True(served.MatchesHostname(fixture.Options.InternalIp), served.Subject);
        Assert.True(served.MatchesHostname(fixture.NodeName), served.Subject);
        var key = Path.Combine(fixture.Options.RootDirectory, "pki", "agent.key");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
    }

    private X509Certificate2 ClusterCertificate(string user, string[] groups)
    {
        using var pki = ClusterPki.LoadOrCreate(fixture.Cluster.PkiDirectory);
        return pki.IssueClientCertificate(user, groups);
    }

    /// <summary>A client presenting <paramref name="certificate"/> (if any); the agent's self-signed certificate is accepted.</summary>
    private static HttpClient Client(X509Certificate2? certificate, Action<X509Certificate2>? served = null)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions =
            {
                ClientCertificates = certificate is null ? null : [certificate],
                RemoteCertificateValidationCallback = (_, cert, _, _) =>
                {
                    if (cert is not null)
                        served?.Invoke(X509CertificateLoader.LoadCertificate(cert.GetRawCertData()));
                    return true;
                },
            },
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }
}
