using System.Net;
using System.Security.Cryptography.X509Certificates;
using Orchestrator.Client;
using Orchestrator.Client.Config;
using Orchestrator.Server.Security;

namespace Orchestrator.Server.Hosting;

/// <summary>
/// Clients of this replica's own HTTPS API for the work hosted inside the process (controller manager, scheduler,
/// the kubernetes service reconciler): each authenticates with a certificate issued by the cluster CA, so it goes
/// through the same authentication, admission and storage path as any outside client.
/// </summary>
public sealed class LocalApiClients(ServerOptions options, ClusterPki pki)
{
    /// <summary>This replica's API address as a local client dials it (a wildcard listen address is reached on loopback).</summary>
    public Uri Server => new($"https://{DialAddress(options.ApiEndpoint.Address)}:{options.ApiEndpoint.Port}");

    /// <param name="program">The User-Agent's program name.</param>
    /// <param name="maxConcurrentRequests">Requests in flight at most (watches aside); 0 for no limit.</param>
    public KubeClient Create(string user, string program, int maxConcurrentRequests, IReadOnlyList<string>? groups = null)
    {
        using var certificate = pki.IssueClientCertificate(user, [.. groups ?? []]);
        using var key = certificate.GetECDsaPrivateKey()!;
        var config = new Kubeconfig
        {
            Server = Server,
            CertificateAuthorityPem = pki.AuthorityPem,
            ClientCertificatePem = certificate.ExportCertificatePem(),
            ClientKeyPem = key.ExportPkcs8PrivateKeyPem(),
        };
        return new KubeClient(config, new KubeClientOptions { UserAgent = $"{program}/1.0", MaxConcurrentRequests = maxConcurrentRequests });
    }

    private static string DialAddress(IPAddress address) =>
        address.Equals(IPAddress.Any) ? "127.0.0.1"
        : address.Equals(IPAddress.IPv6Any) ? "[::1]"
        : address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]"
        : address.ToString();
}
