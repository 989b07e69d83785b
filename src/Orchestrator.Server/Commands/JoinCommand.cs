using System.CommandLine;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Orchestrator.Server.Security;
using Orchestrator.Server.Security.Joining;

namespace Orchestrator.Server.Commands;

/// <summary>
/// `orchestrator join --server URL --token ID.SECRET --ca-cert-hash sha256:HEX`: what `orchestrator token create`
/// printed. Reads cluster-info anonymously, trusts its CA only if the hash matches, then fetches the bundle the token
/// unlocks over TLS verified against that CA: a replica's PKI goes to --pki, a node's kubeconfig to --kubeconfig.
/// </summary>
public static class JoinCommand
{
    public static Command Create()
    {
        var server = new Option<string>("--server") { Description = "URL of any API server of the cluster.", Required = true };
        var tokenOption = new Option<string>("--token") { Description = "The bootstrap token (ID.SECRET).", Required = true };
        var hash = new Option<string?>("--ca-cert-hash") { Description = "sha256:HEX of the cluster CA's public key (what `token create` printed)." };
        var skipVerification = new Option<bool>("--unsafe-skip-ca-verification")
        {
            Description = "Trust the CA the server shows without a hash (a private network where the hash cannot be passed along, as Vagrant's).",
        };
        var wait = new Option<double>("--wait") { Description = "Seconds to keep retrying while the cluster is unreachable or the token not yet made.", DefaultValueFactory = _ => 0 };
        var pki = new Option<string>("--pki") { Description = "Where a replica's PKI is written.", DefaultValueFactory = _ => "/var/lib/orchestrator/pki" };
        var kubeconfig = new Option<string>("--kubeconfig") { Description = "Where a node's kubeconfig is written.", DefaultValueFactory = _ => "/etc/orchestrator/node.conf" };
        var command = new Command("join", "Fetch what this machine needs to join the cluster (printed by `orchestrator token create`).") { server, tokenOption, hash, skipVerification, wait, pki, kubeconfig };
        command.SetAction(async (result, cancellation) =>
        {
            if (BootstrapToken.Parse(result.GetValue(tokenOption)!) is not { } token)
            {
                Console.Error.WriteLine("--token: not a bootstrap token (6 and 16 characters of [a-z0-9], joined by a dot).");
                return 2;
            }
            var expectedHash = result.GetValue(hash);
            if (expectedHash is null && !result.GetValue(skipVerification))
            {
                Console.Error.WriteLine("Pass --ca-cert-hash (printed by `orchestrator token create`), or --unsafe-skip-ca-verification on a network you trust.");
                return 2;
            }
            var baseUri = new Uri(result.GetValue(server)!.TrimEnd('/') + "/");
            var deadline = DateTime.UtcNow.AddSeconds(Math.Max(0, result.GetValue(wait)));
            JoinBundle? bundle;
            try
            {
                while (true)
                {
                    var (fetched, error) = await TryFetchAsync(baseUri, token, expectedHash, cancellation);
                    if ((bundle = fetched) is not null)
                        break;
                    if (DateTime.UtcNow >= deadline)
                    {
                        Console.Error.WriteLine(error);
                        return 1;
                    }
                    await Task.Delay(TimeSpan.FromSeconds(2), cancellation);
                }
            }
            catch (InvalidDataException e)
            {
                // A CA that is not the expected one, or a bundle not sealed with this token: retrying will not help.
                Console.Error.WriteLine(e.Message);
                return 1;
            }
            if (bundle.Kind == JoinBundle.ReplicaKind)
            {
                var directory = Path.GetFullPath(result.GetValue(pki)!);
                Directory.CreateDirectory(directory);
                foreach (var (name, content) in bundle.Files)
                    WritePrivate(Path.Combine(directory, Path.GetFileName(name)), content);
                Console.WriteLine($"Wrote the cluster PKI to {directory}: start this replica with --join, then `orchestrator member add`.");
            }
            else
            {
                var path = Path.GetFullPath(result.GetValue(kubeconfig)!);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                WritePrivate(path, bundle.Files["kubeconfig"]);
                Console.WriteLine($"Wrote this node's kubeconfig to {path}.");
            }
            return 0;
        });
        return command;
    }

    /// <summary>The bundle, or why not (the cluster unreachable, the token unknown yet, the CA not the expected one).</summary>
    private static async Task<(JoinBundle? Bundle, string Error)> TryFetchAsync(Uri baseUri, BootstrapToken token, string? expectedHash, CancellationToken cancellation)
    {
        try
        {
            var (authority, discoveryError) = await DiscoverAuthorityAsync(baseUri, expectedHash, cancellation);
            if (authority is null)
                return (null, discoveryError);
            using (authority)
            {
                using var handler = new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, errors) => IssuedBy(authority, certificate, errors) } };
                using var http = new HttpClient(handler) { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
                using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v1/namespaces/{BootstrapToken.SecretNamespace}/secrets/{JoinBundle.SecretName(token)}");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.ToString());
                using var response = await http.SendAsync(request, cancellation);
                var body = await response.Content.ReadAsStringAsync(cancellation);
                if (!response.IsSuccessStatusCode)
                    return (null, $"The cluster refused the token ({(int)response.StatusCode}): {body.Trim()}");
                var sealedBytes = Convert.FromBase64String(JsonNode.Parse(body)?["data"]?[JoinBundle.DataKey]?.GetValue<string>() ?? "");
                return (JoinBundle.Open(sealedBytes, token), "");
            }
        }
        catch (HttpRequestException e)
        {
            return (null, $"{baseUri} could not be reached: {e.Message}");
        }
        catch (TaskCanceledException) when (!cancellation.IsCancellationRequested)
        {
            return (null, $"{baseUri} did not answer in time");
        }
    }

    private static async Task<(X509Certificate2? Authority, string Error)> DiscoverAuthorityAsync(Uri baseUri, string? expectedHash, CancellationToken cancellation)
    {
        // Not verified yet on purpose: what it says is only believed once its CA matches the hash given out of band.
        using var handler = new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true } };
        using var http = new HttpClient(handler) { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.GetAsync($"api/v1/namespaces/{ClusterInfo.Namespace}/configmaps/{ClusterInfo.Name}", cancellation);
        var body = await response.Content.ReadAsStringAsync(cancellation);
        if (!response.IsSuccessStatusCode)
            return (null, $"Could not read {ClusterInfo.Namespace}/{ClusterInfo.Name} ({(int)response.StatusCode}): {body.Trim()}");
        var pem = JsonNode.Parse(body)?["data"]?[ClusterInfo.CaKey]?.GetValue<string>() ?? "";
        var authority = X509Certificate2.CreateFromPem(pem);
        if (expectedHash is not null && !string.Equals(ClusterInfo.CaHash(authority), expectedHash.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            var actual = ClusterInfo.CaHash(authority);
            authority.Dispose();
            // Not retried: a wrong CA will not become the right one.
            throw new InvalidDataException($"The cluster's CA hashes to {actual}, not {expectedHash}: refusing to send the token.");
        }
        return (authority, "");
    }

    private static bool IssuedBy(X509Certificate2 authority, X509Certificate? presented, SslPolicyErrors errors)
    {
        if (presented is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
            return false;
        using var certificate = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    private static void WritePrivate(string path, string content)
    {
        ClusterPki.WriteAtomically(path, content);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
