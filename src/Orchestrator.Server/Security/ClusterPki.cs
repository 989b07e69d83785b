using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Orchestrator.Server.Security;

/// <summary>
/// The cluster's certificate authority and the certificates it issues: serving certificates for
/// replicas and client certificates for users (CN = user name, O = groups, as Kubernetes reads them).
/// The CA lives in DIR/ca.crt and DIR/ca.key, made on first use and shared by every replica.
/// </summary>
public sealed class ClusterPki : IDisposable
{
    public const string CaCertificateFile = "ca.crt";
    public const string CaKeyFile = "ca.key";

    /// <summary>The organization of every replica's peer certificate.</summary>
    public const string PeerGroup = "system:replicas";

    private ClusterPki(X509Certificate2 authority) => Authority = authority;

    /// <summary>The CA certificate with its private key.</summary>
    public X509Certificate2 Authority { get; }

    public string AuthorityPem => Authority.ExportCertificatePem();

    /// <summary>Loads the CA from <paramref name="directory"/>; a clear error when it is not there (tools that must not make a new one).</summary>
    public static ClusterPki Load(string directory)
    {
        var certPath = Path.Combine(directory, CaCertificateFile);
        var keyPath = Path.Combine(directory, CaKeyFile);
        if (!File.Exists(certPath) || !File.Exists(keyPath))
            throw new FileNotFoundException($"no cluster CA in {directory} ({CaCertificateFile} and {CaKeyFile})");
        return new ClusterPki(X509Certificate2.CreateFromPemFile(certPath, keyPath));
    }

    /// <summary>Loads the CA from <paramref name="directory"/>, creating it when absent.</summary>
    public static ClusterPki LoadOrCreate(string directory)
    {
        Directory.CreateDirectory(directory);
        var certPath = Path.Combine(directory, CaCertificateFile);
        var keyPath = Path.Combine(directory, CaKeyFile);
        if (File.Exists(certPath) && File.Exists(keyPath))
            return new ClusterPki(X509Certificate2.CreateFromPemFile(certPath, keyPath));
        // Replicas starting together must agree on one CA: whoever holds the lock makes it, the others load it.
        using var lockFile = AcquireLock(Path.Combine(directory, ".lock"));
        if (File.Exists(certPath) && File.Exists(keyPath))
            return new ClusterPki(X509Certificate2.CreateFromPemFile(certPath, keyPath));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=orchestrator-ca", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using var ca = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));
        WriteAtomically(keyPath, key.ExportPkcs8PrivateKeyPem());
        WriteAtomically(certPath, ca.ExportCertificatePem());
        return new ClusterPki(X509Certificate2.CreateFromPemFile(certPath, keyPath));
    }

    /// <summary>A serving certificate for the given DNS names and IP addresses.</summary>
    public X509Certificate2 IssueServerCertificate(IEnumerable<string> dnsNames, IEnumerable<IPAddress> addresses)
    {
        var names = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames)
            names.AddDnsName(name);
        foreach (var address in addresses)
            names.AddIpAddress(address);
        return Issue("CN=orchestrator-apiserver", names.Build(), Oid("1.3.6.1.5.5.7.3.1"));
    }

    /// <summary>A client certificate naming a user and its groups.</summary>
    public X509Certificate2 IssueClientCertificate(string user, IEnumerable<string> groups)
    {
        var subject = new X500DistinguishedNameBuilder();
        foreach (var group in groups)
            subject.AddOrganizationName(group);
        subject.AddCommonName(user);
        return Issue(subject.Build().Name, extension: null, Oid("1.3.6.1.5.5.7.3.2"));
    }

    /// <summary>
    /// A replica's certificate for the links between replicas (Raft and internal gRPC), both as server and as client:
    /// O=system:replicas marks the role, so a user's client certificate from the same CA cannot speak Raft.
    /// </summary>
    public X509Certificate2 IssuePeerCertificate(string member, IEnumerable<IPAddress> addresses)
    {
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        foreach (var address in addresses)
            names.AddIpAddress(address);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddOrganizationName(PeerGroup);
        subject.AddCommonName($"system:replica:{member}");
        return Issue(subject.Build().Name, names.Build(), Oid("1.3.6.1.5.5.7.3.1"), Oid("1.3.6.1.5.5.7.3.2"));
    }

    /// <summary>Whether <paramref name="certificate"/> is a replica's: this CA's, valid now, for both TLS roles, in <see cref="PeerGroup"/>.</summary>
    public bool VerifyPeer(X509Certificate2 certificate) =>
        ChainsToAuthority(certificate, "1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2") && certificate.SubjectName.EnumerateRelativeDistinguishedNames()
            .Any(rdn => rdn.GetSingleElementType().Value == "2.5.4.10" && rdn.GetSingleElementValue() == PeerGroup);

    /// <summary>Whether <paramref name="certificate"/> was issued by this CA and is within its validity.</summary>
    public bool Verify(X509Certificate2 certificate) => ChainsToAuthority(certificate);

    /// <summary>Whether <paramref name="certificate"/> is a client certificate of this CA: chain, validity and clientAuth usage.</summary>
    public bool VerifyClient(X509Certificate2 certificate) => ChainsToAuthority(certificate, "1.3.6.1.5.5.7.3.2");

    /// <summary>Chains to this CA (and no other root), valid now, with every given extended key usage.</summary>
    private bool ChainsToAuthority(X509Certificate2 certificate, params string[] usages)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        foreach (var usage in usages)
            chain.ChainPolicy.ApplicationPolicy.Add(Oid(usage));
        return chain.Build(certificate);
    }

    public void Dispose() => Authority.Dispose();

    private X509Certificate2 Issue(string subject, X509Extension? extension, params Oid[] usages)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([.. usages], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Authority, true, false));
        if (extension is not null)
            request.CertificateExtensions.Add(extension);
        var now = DateTimeOffset.UtcNow;
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var issued = request.Create(Authority, now.AddMinutes(-5), now.AddYears(5), serial);
        // Round-trip through PKCS#12 so the key is usable by SslStream on Linux.
        using var withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    private static Oid Oid(string value) => new(value);

    private static FileStream AcquireLock(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 200)
            {
                Thread.Sleep(50);
            }
        }
    }

    internal static void WriteAtomically(string path, string text)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, text);
        File.Move(temp, path, overwrite: true);
    }
}
