using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using YamlDotNet.Serialization;

namespace Orchestrator.Server.Security;

/// <summary>
/// Writes a kubeconfig with one cluster and context per replica (replica-1, replica-2, ...) that all
/// use one user's credentials (a client certificate or a bearer token); the current context is the first replica.
/// </summary>
public static class KubeconfigFile
{
    public static void Write(string path, IReadOnlyList<Uri> servers, ClusterPki pki, string user, IEnumerable<string> groups)
    {
        using var client = pki.IssueClientCertificate(user, groups);
        Write(path, servers, pki, user, new Dictionary<string, object>
        {
            ["client-certificate-data"] = Base64(client.ExportCertificatePem()),
            ["client-key-data"] = Base64(PrivateKeyPem(client)),
        });
    }

    /// <summary>The same kubeconfig for a user who presents a bearer token instead of a certificate.</summary>
    public static void WriteWithToken(string path, IReadOnlyList<Uri> servers, ClusterPki pki, string user, string token) =>
        Write(path, servers, pki, user, new Dictionary<string, object> { ["token"] = token });

    private static void Write(string path, IReadOnlyList<Uri> servers, ClusterPki pki, string user, Dictionary<string, object> credentials)
    {
        var caData = Base64(pki.AuthorityPem);
        var clusters = new List<object>();
        var contexts = new List<object>();
        for (var i = 0; i < servers.Count; i++)
        {
            var name = ContextName(i);
            clusters.Add(new Dictionary<string, object>
            {
                ["name"] = name,
                ["cluster"] = new Dictionary<string, object>
                {
                    ["server"] = servers[i].ToString().TrimEnd('/'),
                    ["certificate-authority-data"] = caData,
                },
            });
            contexts.Add(new Dictionary<string, object>
            {
                ["name"] = name,
                ["context"] = new Dictionary<string, object> { ["cluster"] = name, ["user"] = user, ["namespace"] = "default" },
            });
        }
        var config = new Dictionary<string, object>
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Config",
            ["clusters"] = clusters,
            ["contexts"] = contexts,
            ["current-context"] = ContextName(0),
            ["users"] = new List<object>
            {
                new Dictionary<string, object>
                {
                    ["name"] = user,
                    ["user"] = credentials,
                },
            },
            ["preferences"] = new Dictionary<string, object>(),
        };
        var yaml = new SerializerBuilder().Build().Serialize(config);
        ClusterPki.WriteAtomically(path, yaml);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    public static string ContextName(int index) => $"replica-{index + 1}";

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string PrivateKeyPem(X509Certificate2 certificate)
    {
        using AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey()
            ?? certificate.GetRSAPrivateKey()
            ?? throw new InvalidOperationException("client certificate has no private key");
        return key.ExportPkcs8PrivateKeyPem();
    }
}
