using System.Text;
using YamlDotNet.Serialization;

namespace Orchestrator.Client.Config;

/// <summary>
/// The parts of one kubeconfig context a client needs: where the server is, which CA to trust, and
/// how to authenticate (client certificate or bearer token). Inline *-data fields win over file paths,
/// as in client-go.
/// </summary>
public sealed record Kubeconfig
{
    public required Uri Server { get; init; }

    /// <summary>PEM of the CA bundle the server certificate must chain to; null: the system store.</summary>
    public string? CertificateAuthorityPem { get; init; }

    public string? ClientCertificatePem { get; init; }

    public string? ClientKeyPem { get; init; }

    public string? Token { get; init; }

    public string Namespace { get; init; } = "default";

    /// <summary>
    /// The servers of the file's other contexts with the same user and CA: the other replicas of the same cluster, as
    /// `orchestrator` writes one context per replica. A client may fail over to them (<see cref="KubeClientOptions.FailOver"/>).
    /// </summary>
    public IReadOnlyList<Uri> OtherServers { get; init; } = [];

    /// <summary>Reads <paramref name="path"/> and resolves <paramref name="context"/> (the current context when null).</summary>
    public static async Task<Kubeconfig> LoadAsync(string path, string? context = null, CancellationToken token = default)
    {
        var text = await File.ReadAllTextAsync(path, token).ConfigureAwait(false);
        return Parse(text, context, Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".");
    }

    public static Kubeconfig Parse(string yaml, string? context = null, string baseDirectory = ".")
    {
        var file = new DeserializerBuilder().IgnoreUnmatchedProperties().Build().Deserialize<KubeconfigFile>(yaml)
                   ?? throw new FormatException("empty kubeconfig");
        var contextName = context ?? file.CurrentContext
                          ?? throw new FormatException("kubeconfig has no current-context and none was given");
        var ctx = file.Contexts.FirstOrDefault(c => c.Name == contextName)?.Context
                  ?? throw new FormatException($"kubeconfig has no context \"{contextName}\"");
        var cluster = file.Clusters.FirstOrDefault(c => c.Name == ctx.Cluster)?.Cluster
                      ?? throw new FormatException($"kubeconfig has no cluster \"{ctx.Cluster}\"");
        var user = file.Users.FirstOrDefault(u => u.Name == ctx.User)?.User ?? new UserEntry();
        if (string.IsNullOrEmpty(cluster.Server))
            throw new FormatException($"cluster \"{ctx.Cluster}\" has no server");

        var others = file.Contexts
            .Where(c => c.Name != contextName && c.Context is { } other && other.User == ctx.User)
            .Select(c => file.Clusters.FirstOrDefault(k => k.Name == c.Context!.Cluster)?.Cluster)
            .Where(k => k is { Server.Length: > 0 } && k.Server != cluster.Server
                && k.CertificateAuthorityData == cluster.CertificateAuthorityData && k.CertificateAuthority == cluster.CertificateAuthority)
            .Select(k => new Uri(k!.Server!))
            .Distinct()
            .ToList();
        return new Kubeconfig
        {
            Server = new Uri(cluster.Server),
            OtherServers = others,
            CertificateAuthorityPem = DataOrFile(cluster.CertificateAuthorityData, cluster.CertificateAuthority, baseDirectory),
            ClientCertificatePem = DataOrFile(user.ClientCertificateData, user.ClientCertificate, baseDirectory),
            ClientKeyPem = DataOrFile(user.ClientKeyData, user.ClientKey, baseDirectory),
            Token = user.Token ?? (user.TokenFile is { } tokenFile ? File.ReadAllText(Resolve(tokenFile, baseDirectory)).Trim() : null),
            Namespace = string.IsNullOrEmpty(ctx.Namespace) ? "default" : ctx.Namespace,
        };
    }

    private static string? DataOrFile(string? base64, string? file, string baseDirectory)
    {
        if (!string.IsNullOrEmpty(base64))
            return Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        return string.IsNullOrEmpty(file) ? null : File.ReadAllText(Resolve(file, baseDirectory));
    }

    // Relative paths in a kubeconfig are relative to the file, not to the working directory.
    private static string Resolve(string path, string baseDirectory) => Path.IsPathRooted(path) ? path : Path.Combine(baseDirectory, path);

    private sealed class KubeconfigFile
    {
        [YamlMember(Alias = "current-context")]
        public string? CurrentContext { get; set; }

        [YamlMember(Alias = "clusters")]
        public List<NamedCluster> Clusters { get; set; } = [];

        [YamlMember(Alias = "contexts")]
        public List<NamedContext> Contexts { get; set; } = [];

        [YamlMember(Alias = "users")]
        public List<NamedUser> Users { get; set; } = [];
    }

    private sealed class NamedCluster
    {
        [YamlMember(Alias = "name")]
        public string Name { get; set; } = "";

        [YamlMember(Alias = "cluster")]
        public ClusterEntry? Cluster { get; set; }
    }

    private sealed class NamedContext
    {
        [YamlMember(Alias = "name")]
        public string Name { get; set; } = "";

        [YamlMember(Alias = "context")]
        public ContextEntry? Context { get; set; }
    }

    private sealed class NamedUser
    {
        [YamlMember(Alias = "name")]
        public string Name { get; set; } = "";

        [YamlMember(Alias = "user")]
        public UserEntry? User { get; set; }
    }

    private sealed class ClusterEntry
    {
        [YamlMember(Alias = "server")]
        public string? Server { get; set; }

        [YamlMember(Alias = "certificate-authority-data")]
        public string? CertificateAuthorityData { get; set; }

        [YamlMember(Alias = "certificate-authority")]
        public string? CertificateAuthority { get; set; }
    }

    private sealed class ContextEntry
    {
        [YamlMember(Alias = "cluster")]
        public string Cluster { get; set; } = "";

        [YamlMember(Alias = "user")]
        public string User { get; set; } = "";

        [YamlMember(Alias = "namespace")]
        public string? Namespace { get; set; }
    }

    private sealed class UserEntry
    {
        [YamlMember(Alias = "client-certificate-data")]
        public string? ClientCertificateData { get; set; }

        [YamlMember(Alias = "client-certificate")]
        public string? ClientCertificate { get; set; }

        [YamlMember(Alias = "client-key-data")]
        public string? ClientKeyData { get; set; }

        [YamlMember(Alias = "client-key")]
        public string? ClientKey { get; set; }

        [YamlMember(Alias = "token")]
        public string? Token { get; set; }

        [YamlMember(Alias = "tokenFile")]
        public string? TokenFile { get; set; }
    }
}
