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
    public async Task<bool> AuthenticateAsync(HttpContext context)
    {
        var certificate = context.Connection.ClientCertificate;
        if (certificate is null)
        {
            context.Items[typeof(UserInfo)] = UserInfo.Anonymous;
            return true;
        }
        if (!pki.Verify(certificate))
        {
            await ApiResponses.WriteStatusAsync(context, ApiException.Unauthorized());
            return false;
        }
        var subject = certificate.SubjectName;
        var user = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        var groups = subject.EnumerateRelativeDistinguishedNames()
            .Where(n => n.GetSingleElementType().Value == "2.5.4.10")
            .Select(n => n.GetSingleElementValue() ?? "")
            .Where(g => g.Length > 0)
            .Append("system:authenticated")
            .ToList();
        context.Items[typeof(UserInfo)] = new UserInfo(user, groups);
        return true;
    }
}
