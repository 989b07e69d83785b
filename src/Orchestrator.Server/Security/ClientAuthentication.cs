using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using Orchestrator.Api.Errors;
using Orchestrator.Server.Http;

namespace Orchestrator.Server.Security;

/// <summary>Who is calling, as Kubernetes reads it from a client certificate: CN = user, each O = a group.</summary>
public sealed record UserInfo(string Name, IReadOnlyList<string> Groups)
{
    public static UserInfo Anonymous { get; } = new("system:anonymous", ["system:unauthenticated"]);
}

/// <summary>
/// Authenticates a request by its client certificate, which must be issued by the cluster CA.
/// Requests without a certificate are anonymous (no authorizer yet refuses them).
/// </summary>
public sealed class ClientAuthentication(ClusterPki pki)
{
    /// <summary>
    /// Verified certificates, by the instance a TLS connection presents for all its requests: a chain build per
    /// request (and its finalizable native objects) showed in profiles of the controllers' connections.
    /// </summary>
    private readonly ConditionalWeakTable<X509Certificate2, UserInfo> verified = new();

    public async Task<bool> AuthenticateAsync(HttpContext context)
    {
        var certificate = context.Connection.ClientCertificate;
        if (certificate is null)
        {
            context.Items[typeof(UserInfo)] = UserInfo.Anonymous;
            return true;
        }
        if (verified.TryGetValue(certificate, out var known) && DateTime.Now < certificate.NotAfter)
        {
            context.Items[typeof(UserInfo)] = known;
            return true;
        }
        if (!pki.Verify(certificate))
        {
            await ApiResponses.WriteStatusAsync(context, ApiException.Unauthorized());
            return false;
        }
        var user = UserOf(certificate);
        verified.AddOrUpdate(certificate, user);
        context.Items[typeof(UserInfo)] = user;
        return true;
    }

    private static UserInfo UserOf(X509Certificate2 certificate)
    {
        var subject = certificate.SubjectName;
        var user = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        var groups = subject.EnumerateRelativeDistinguishedNames()
            .Where(n => n.GetSingleElementType().Value == "2.5.4.10")
            .Select(n => n.GetSingleElementValue() ?? "")
            .Where(g => g.Length > 0)
            .Append("system:authenticated")
            .ToList();
        return new UserInfo(user, groups);
    }
}
