using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using Orchestrator.Server.Security;

namespace Orchestrator.Server.Commands;

/// <summary>
/// `orchestrator kubeconfig`: a kubeconfig with a client certificate of the cluster CA (admin by default);
/// `orchestrator client-certificate`: the same certificate as PEM files, for clients that want files (Prometheus).
/// </summary>
public static class KubeconfigCommand
{
    public static Command Create()
    {
        var pki = new Option<string>("--pki") { Description = "The cluster's PKI directory (ca.crt, ca.key).", DefaultValueFactory = _ => "/var/lib/orchestrator/pki" };
        var servers = new Option<string[]>("--server") { Description = "API server URL, one context each (repeatable).", Required = true, AllowMultipleArgumentsPerToken = true };
        var user = new Option<string>("--user") { Description = "User name (the certificate's CN).", DefaultValueFactory = _ => "admin" };
        var groups = new Option<string[]>("--group") { Description = "Group (the certificate's O; repeatable).", DefaultValueFactory = _ => [UserInfo.MastersGroup], AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--out") { Description = "Where to write it.", Required = true };
        var command = new Command("kubeconfig", "Write a kubeconfig whose client certificate the cluster CA issues.") { pki, servers, user, groups, output };
        command.SetAction(result =>
        {
            using var authority = ClusterPki.Load(Path.GetFullPath(result.GetValue(pki)!));
            var path = Path.GetFullPath(result.GetValue(output)!);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            KubeconfigFile.Write(path, [.. result.GetValue(servers)!.Select(s => new Uri(s))], authority, result.GetValue(user)!, result.GetValue(groups)!);
            Console.WriteLine($"Wrote {path} for {result.GetValue(user)}.");
            return 0;
        });
        return command;
    }

    public static Command CreateCertificate()
    {
        var pki = new Option<string>("--pki") { Description = "The cluster's PKI directory (ca.crt, ca.key).", DefaultValueFactory = _ => "/var/lib/orchestrator/pki" };
        var user = new Option<string>("--user") { Description = "User name (the certificate's CN).", Required = true };
        var groups = new Option<string[]>("--group") { Description = "Group (the certificate's O; repeatable).", AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--out") { Description = "Writes OUT.crt, OUT.key and, beside them, ca.crt.", Required = true };
        var command = new Command("client-certificate", "Write a client certificate and key the cluster CA issues (PEM).") { pki, user, groups, output };
        command.SetAction(result =>
        {
            using var authority = ClusterPki.Load(Path.GetFullPath(result.GetValue(pki)!));
            var prefix = Path.GetFullPath(result.GetValue(output)!);
            Directory.CreateDirectory(Path.GetDirectoryName(prefix)!);
            using var certificate = authority.IssueClientCertificate(result.GetValue(user)!, result.GetValue(groups) ?? []);
            using var key = certificate.GetECDsaPrivateKey()!;
            ClusterPki.WriteAtomically(prefix + ".crt", certificate.ExportCertificatePem());
            ClusterPki.WriteAtomically(prefix + ".key", key.ExportPkcs8PrivateKeyPem());
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(prefix + ".key", UnixFileMode.UserRead | UnixFileMode.UserWrite);
            ClusterPki.WriteAtomically(Path.Combine(Path.GetDirectoryName(prefix)!, ClusterPki.CaCertificateFile), authority.AuthorityPem);
            Console.WriteLine($"Wrote {prefix}.crt and {prefix}.key for {result.GetValue(user)}.");
            return 0;
        });
        return command;
    }
}
