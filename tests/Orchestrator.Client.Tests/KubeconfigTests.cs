using System.Text;
using Orchestrator.Client.Config;
using Xunit;

namespace Orchestrator.Client.Tests;

public sealed class KubeconfigTests
{
    private static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    [Fact]
    public void ParsesTheNamedContext()
    {
        var yaml = $"""
            apiVersion: v1
            kind: Config
            current-context: a
            clusters:
            - name: a
              cluster: {"{"}server: https://127.0.0.1:1, certificate-authority-data: {B64("CA-A")}{"}"}
            - name: b
              cluster: {"{"}server: https://127.0.0.1:2, certificate-authority-data: {B64("CA-B")}{"}"}
            contexts:
            - name: a
              context: {"{"}cluster: a, user: cert{"}"}
            - name: b
              context: {"{"}cluster: b, user: bearer, namespace: team{"}"}
            users:
            - name: cert
              user: {"{"}client-certificate-data: {B64("CERT")}, client-key-data: {B64("KEY")}{"}"}
            - name: bearer
              user: {"{"}token: secret{"}"}
            """;

        var a = Kubeconfig.Parse(yaml);
        Assert.Equal(new Uri("https://127.0.0.1:1"), a.Server);
        Assert.Equal(("CA-A", "CERT", "KEY", (string?)null, "default"), (a.CertificateAuthorityPem, a.ClientCertificatePem, a.ClientKeyPem, a.Token, a.Namespace));

        var b = Kubeconfig.Parse(yaml, "b");
        Assert.Equal(("CA-B", "secret", "team"), (b.CertificateAuthorityPem, b.Token, b.Namespace));
        Assert.Throws<FormatException>(() => Kubeconfig.Parse(yaml, "missing"));
    }

    [Fact]
    public void OtherServersAreTheOtherReplicasOfTheSameUserAndCa()
    {
        var yaml = $"""
            apiVersion: v1
            kind: Config
            current-context: replica-1
            clusters:
            - name: replica-1
              cluster: {"{"}server: https://10.0.0.11:6443, certificate-authority-data: {B64("CA")}{"}"}
            - name: replica-2
              cluster: {"{"}server: https://10.0.0.12:6443, certificate-authority-data: {B64("CA")}{"}"}
            - name: replica-3
              cluster: {"{"}server: https://10.0.0.13:6443, certificate-authority-data: {B64("CA")}{"}"}
            - name: elsewhere
              cluster: {"{"}server: https://192.0.2.1:6443, certificate-authority-data: {B64("OTHER-CA")}{"}"}
            contexts:
            - name: replica-1
              context: {"{"}cluster: replica-1, user: node{"}"}
            - name: replica-2
              context: {"{"}cluster: replica-2, user: node{"}"}
            - name: replica-3
              context: {"{"}cluster: replica-3, user: node{"}"}
            - name: elsewhere
              context: {"{"}cluster: elsewhere, user: node{"}"}
            - name: other-user
              context: {"{"}cluster: replica-2, user: someone{"}"}
            users:
            - name: node
              user: {"{"}token: t{"}"}
            - name: someone
              user: {"{"}token: u{"}"}
            """;

        var config = Kubeconfig.Parse(yaml);
        Assert.Equal([new Uri("https://10.0.0.12:6443"), new Uri("https://10.0.0.13:6443")], config.OtherServers);
        Assert.Equal([new Uri("https://10.0.0.11:6443"), new Uri("https://10.0.0.13:6443")], Kubeconfig.Parse(yaml, "replica-2").OtherServers);
    }
}
