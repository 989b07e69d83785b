using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Orchestrator.Client.Config;

/// <summary>Builds the HTTP handler for a kubeconfig: trusts only its CA, presents its client certificate.</summary>
public static class TlsHandler
{
    public static SocketsHttpHandler Create(Kubeconfig config)
    {
        var handler = new SocketsHttpHandler
        {
            // Watches hold a stream each; let HTTP/2 open more connections past the server's stream limit.
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
            AutomaticDecompression = System.Net.DecompressionMethods.GZip,
        };
        if (config.ClientCertificatePem is { } certPem && config.ClientKeyPem is { } keyPem)
        {
            using var ephemeral = X509Certificate2.CreateFromPem(certPem, keyPem);
            // Re-import as PKCS#12 so the private key is usable by SslStream on every platform.
            var certificate = X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
            handler.SslOptions.ClientCertificates = [certificate];
        }
        if (config.CertificateAuthorityPem is { } caPem)
        {
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPem(caPem);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                certificate is not null && TrustedBy(authorities, certificate, errors);
        }
        return handler;
    }

    /// <summary>
    /// Chain to the given CAs only (not the system store); the host name must still match, so a
    /// certificate the CA issued to another replica name is refused.
    /// </summary>
    private static bool TrustedBy(X509Certificate2Collection authorities, X509Certificate certificate, SslPolicyErrors errors)
    {
        if ((errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
            return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }
}
