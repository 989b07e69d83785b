using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Orchestrator.Storage.Replication;

/// <summary>
/// Mutual TLS between replicas, on the Raft transport and on the internal gRPC port alike: each side shows
/// <see cref="Certificate"/> and accepts the other only when <see cref="IsPeer"/> says it is a replica of this
/// cluster. Names are not checked (peers are dialled by address, and an address may be a proxy's): trust comes
/// from the cluster CA's signature and the peer role in the certificate, as etcd's peer TLS without CN checks.
/// </summary>
public sealed record PeerTls(X509Certificate2 Certificate, Func<X509Certificate2, bool> IsPeer)
{
    /// <summary>Sets the server side of a handshake (options owned by a transport, such as DotNext's).</summary>
    public SslServerAuthenticationOptions Configure(SslServerAuthenticationOptions options)
    {
        options.ServerCertificate = Certificate;
        options.ClientCertificateRequired = true;
        options.RemoteCertificateValidationCallback = Accept;
        return options;
    }

    /// <summary>Sets the client side of a handshake.</summary>
    public SslClientAuthenticationOptions Configure(SslClientAuthenticationOptions options)
    {
        options.ClientCertificates = [Certificate];
        options.RemoteCertificateValidationCallback = Accept;
        // A peer's certificate is not revoked by anyone: there is no CRL, so checking one would only fail.
        options.CertificateRevocationCheckMode = X509RevocationMode.NoCheck;
        return options;
    }

    public SslClientAuthenticationOptions ClientOptions() => Configure(new SslClientAuthenticationOptions());

    /// <summary>Whether a certificate shown at a handshake belongs to a replica (chain errors are judged by <see cref="IsPeer"/> itself).</summary>
    public bool Accept(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
        certificate is not null && IsPeer(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
}
