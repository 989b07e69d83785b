using System.Security.Cryptography.X509Certificates;
using Orchestrator.Server.Security;

namespace Orchestrator.Deploy.Tests;

/// <summary>Prometheus's client certificate from the cluster CA, written as the files a scrape config's tls_config names.</summary>
internal static class ScrapeCredentials
{
    public const string User = "system:monitoring:prometheus";
    public const string Group = "system:monitoring";

    /// <summary>Writes ca.crt, prometheus.crt and prometheus.key into <paramref name="directory"/>; returns the tls_config lines.</summary>
    public static string Write(string pkiDirectory, string directory)
    {
        using var pki = ClusterPki.LoadOrCreate(pkiDirectory);
        using var certificate = pki.IssueClientCertificate(User, [Group, UserInfo.MastersGroup]);
        using var key = certificate.GetECDsaPrivateKey()!;
        File.WriteAllText(Path.Combine(directory, "ca.crt"), pki.AuthorityPem);
        File.WriteAllText(Path.Combine(directory, "prometheus.crt"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "prometheus.key"), key.ExportPkcs8PrivateKeyPem());
        return "    tls_config: {ca_file: ca.crt, cert_file: prometheus.crt, key_file: prometheus.key}\n";
    }
}
