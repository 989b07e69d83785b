using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;

namespace Orchestrator.Server.Security.Authentication;

/// <summary>
/// x509 client certificates issued by the cluster CA: CN = user, each O = a group, as Kubernetes reads them.
/// </summary>
public sealed class ClientCertificateAuthenticator(ClusterPki pki)
{
    /// <summary>
    /// Verified certificates, by the instance a TLS connection presents for all its requests: a chain build per
    /// request (and its finalizable native objects) showed in profiles of the controllers' connections.
    /// </summary>
    private readonly ConditionalWeakTable<X509Certificate2, UserInfo> verified = new();

    public AuthenticationResult Authenticate(X509Certificate2 certificate)
    {
        if (verified.TryGetValue(certificate, out var known) && DateTime.Now < certificate.NotAfter)
            return AuthenticationResult.Success(known);
        if (!pki.VerifyClient(certificate))
            return AuthenticationResult.Failure("the client certificate is not a client certificate of the cluster CA valid now");
        var user = UserOf(certificate);
        if (user.Name.Length == 0)
            return AuthenticationResult.Failure("the client certificate names no user (empty CN)");
        verified.AddOrUpdate(certificate, user);
        return AuthenticationResult.Success(user);
    }

    private static UserInfo UserOf(X509Certificate2 certificate)
    {
        var subject = certificate.SubjectName;
        var user = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        var groups = subject.EnumerateRelativeDistinguishedNames()
            .Where(n => n.GetSingleElementType().Value == "2.5.4.10")
            .Select(n => n.GetSingleElementValue() ?? "")
            .Where(g => g.Length > 0)
            .Append(UserInfo.AuthenticatedGroup)
            .ToList();
        return new UserInfo(user, groups);
    }
}
