using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Orchestrator.Client;

namespace Orchestrator.Node.Agent;

/// <summary>What the agent endpoint makes of a caller's client certificate.</summary>
internal enum AgentAccess
{
    /// <summary>No certificate, or one that does not chain to the client CA: 401.</summary>
    Unauthenticated,

    /// <summary>A cluster identity that may not use the endpoint: 403.</summary>
    Forbidden,

    Allowed,
}

/// <summary>A caller as the client certificate names it: CN = user, each O = a group (as Kubernetes reads them).</summary>
internal sealed record AgentCaller(AgentAccess Access, string User, IReadOnlyList<string> Groups);

/// <summary>
/// kubelet's x509 client authentication with a fixed authorizer: the certificate must chain to the client CA (the
/// cluster CA from the kubeconfig, or --client-ca-file) for client use, and only the API server's identity
/// (<see cref="ApiServerUser"/>) or group <see cref="MastersGroup"/> may read logs, stats or exec.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class AgentClientAuthorizer : IDisposable
{
    public const string ApiServerUser = "system:orchestrator:apiserver";
    public const string MastersGroup = "system:masters";

    private static readonly Oid ClientAuthUsage = new("1.3.6.1.5.5.7.3.2");
    private static readonly Oid OrganizationName = new("2.5.4.10");

    private readonly X509Certificate2Collection authorities;

    private AgentClientAuthorizer(X509Certificate2Collection authorities) => this.authorities = authorities;

    /// <summary>The CA of <see cref="NodeAgentOptions.ClientCaFile"/>, else the client's kubeconfig CA; without one the agent must not start.</summary>
    public static AgentClientAuthorizer Create(NodeAgentOptions options, KubeClient client)
    {
        string? pem;
        string source;
        if (options.ClientCaFile is { } file)
        {
            source = file;
            try
            {
                pem = File.ReadAllText(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new InvalidOperationException($"the node agent cannot read its client CA file {file}: {e.Message}", e);
            }
        }
        else
        {
            source = "the kubeconfig";
            pem = client.CertificateAuthorityPem;
        }
        if (string.IsNullOrWhiteSpace(pem))
        {
            throw new InvalidOperationException(
                "the node agent needs a CA to verify the API server's client certificates, and the kubeconfig names none: pass --client-ca-file");
        }
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPem(pem);
        }
        catch (CryptographicException e)
        {
            throw new InvalidOperationException($"the client CA from {source} is not valid PEM: {e.Message}", e);
        }
        if (authorities.Count == 0)
            throw new InvalidOperationException($"the client CA from {source} holds no certificate");
        return new AgentClientAuthorizer(authorities);
    }

    public AgentCaller Check(X509Certificate2? certificate)
    {
        if (certificate is null || !ChainsToAuthority(certificate))
            return new AgentCaller(AgentAccess.Unauthenticated, "system:anonymous", []);
        var user = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        var groups = certificate.SubjectName.EnumerateRelativeDistinguishedNames()
            .Where(n => n.GetSingleElementType().Value == OrganizationName.Value)
            .Select(n => n.GetSingleElementValue() ?? "")
            .Where(g => g.Length > 0)
            .ToList();
        var allowed = user == ApiServerUser || groups.Contains(MastersGroup, StringComparer.Ordinal);
        return new AgentCaller(allowed ? AgentAccess.Allowed : AgentAccess.Forbidden, user, groups);
    }

    public void Dispose()
    {
        foreach (var authority in authorities)
            authority.Dispose();
    }

    private bool ChainsToAuthority(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(ClientAuthUsage);
        return chain.Build(certificate);
    }
}
