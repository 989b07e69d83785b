using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Orchestrator.Server.Security.Authentication;

/// <summary>HTTPS clients for the servers authentication asks (an OIDC issuer, a token webhook).</summary>
public static class RemoteTls
{
    /// <summary>
    /// A client that trusts <paramref name="roots"/> only (the system's roots when null), checks the host name, and
    /// presents <paramref name="certificate"/> when given.
    /// </summary>
    public static HttpClient Client(X509Certificate2Collection? roots, X509Certificate2? certificate, TimeSpan timeout)
    {
        var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5) };
        if (roots is not null)
            handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, errors) => presented is not null && ChainsTo(roots, presented, errors);
        if (certificate is not null)
            handler.SslOptions.ClientCertificates = [certificate];
        return new HttpClient(handler) { Timeout = timeout };
    }

    public static X509Certificate2Collection RootsFromPem(string pem)
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPem(pem);
        return roots.Count > 0 ? roots : throw new InvalidOperationException("no certificate in the CA bundle");
    }

    private static bool ChainsTo(X509Certificate2Collection roots, X509Certificate presented, SslPolicyErrors errors)
    {
        if ((errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
            return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var certificate = new X509Certificate2(presented);
        return chain.Build(certificate);
    }
}
