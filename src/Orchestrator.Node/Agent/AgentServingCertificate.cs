using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Orchestrator.Node.Agent;

/// <summary>
/// The agent endpoint's serving certificate, self-signed like kubelet's when it has no --tls-cert-file: made on first
/// start and kept in DIR/agent.crt and DIR/agent.key (0600), for the node's InternalIP and name. A pair that cannot be
/// read, has expired (or expires within a day) or names another address or node is replaced.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class AgentServingCertificate
{
    public const string CertificateFile = "agent.crt";
    public const string KeyFile = "agent.key";

    private static readonly TimeSpan Validity = TimeSpan.FromDays(365);
    private static readonly TimeSpan RenewBefore = TimeSpan.FromDays(1);

    public static X509Certificate2 LoadOrCreate(string directory, string nodeName, string internalIp, DateTimeOffset now)
    {
        var certPath = Path.Combine(directory, CertificateFile);
        var keyPath = Path.Combine(directory, KeyFile);
        if (TryLoad(certPath, keyPath, nodeName, internalIp, now) is { } existing)
            return existing;
        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName("CN=" + nodeName), key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Parse(internalIp));
        names.AddDnsName(nodeName);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var created = request.CreateSelfSigned(now.AddMinutes(-5), now + Validity);
        Write(keyPath, key.ExportPkcs8PrivateKeyPem());
        Write(certPath, created.ExportCertificatePem());
        return Usable(created);
    }

    private static X509Certificate2? TryLoad(string certPath, string keyPath, string nodeName, string internalIp, DateTimeOffset now)
    {
        if (!File.Exists(certPath) || !File.Exists(keyPath))
            return null;
        try
        {
            using var loaded = X509Certificate2.CreateFromPemFile(certPath, keyPath);
            var fresh = new DateTimeOffset(loaded.NotAfter) > now + RenewBefore;
            return fresh && loaded.MatchesHostname(internalIp) && loaded.MatchesHostname(nodeName) ? Usable(loaded) : null;
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Re-imported through PKCS#12 so SslStream can use the key (a PEM-loaded key is ephemeral).</summary>
    private static X509Certificate2 Usable(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);

    /// <summary>Written to a temporary file created 0600, then renamed over the old one.</summary>
    private static void Write(string path, string text)
    {
        var temp = path + ".tmp";
        File.Delete(temp);
        using (var stream = new FileStream(temp, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(text);
        }
        File.Move(temp, path, overwrite: true);
    }
}
