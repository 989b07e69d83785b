using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;

namespace Orchestrator.Server.Security.Joining;

/// <summary>
/// The ConfigMap kube-public/cluster-info that anyone may read (as kubeadm publishes it): the cluster CA and the
/// API servers. A joining machine trusts the CA in it only when its public key hashes to the --ca-cert-hash it was
/// given, so the token it then sends reaches the real cluster.
/// </summary>
public static class ClusterInfo
{
    public const string Namespace = "kube-public";
    public const string Name = "cluster-info";
    public const string CaKey = "ca.crt";
    public const string ServersKey = "servers";

    /// <summary>"sha256:" and the hex SHA-256 of the certificate's SubjectPublicKeyInfo, kubeadm's --discovery-token-ca-cert-hash.</summary>
    public static string CaHash(X509Certificate2 certificate) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));

    public static JsonObject ConfigMap(string caPem, IEnumerable<Uri> servers) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = Name, ["namespace"] = Namespace },
        ["data"] = new JsonObject { [CaKey] = caPem, [ServersKey] = string.Join(',', servers.Select(s => s.ToString().TrimEnd('/'))) },
    };
}
