using System.Globalization;
using System.Net.Security;
using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Orchestrator.Server.Resources;
using Orchestrator.Server.Security;

namespace Orchestrator.Server.Nodes;

/// <summary>
/// How the API server reaches node agents: HTTPS to the Node's InternalIP and daemonEndpoints.kubeletEndpoint.Port,
/// presenting a client certificate from the cluster CA (CN <see cref="ApiServerUser"/>, O system:masters) that the
/// agents require, like kube-apiserver's --kubelet-client-certificate. One per replica, issued when it starts.
/// Simulated nodes publish no usable endpoint (port 0 or none) and are skipped by callers.
/// </summary>
/// <remarks>
/// The agents' serving certificates are self-signed and not verified, as kube-apiserver does without
/// --kubelet-certificate-authority: the channel is encrypted and the agent authenticates us, but we do not
/// authenticate the agent beyond the address the Node object names.
/// </remarks>
public sealed class NodeConnections : IDisposable
{
    public const string ApiServerUser = "system:orchestrator:apiserver";
    public const string ApiServerGroup = "system:masters";

    private readonly X509Certificate2 clientCertificate;
    private readonly HttpClient http;

    public NodeConnections(ClusterPki pki)
    {
        clientCertificate = pki.IssueClientCertificate(ApiServerUser, [ApiServerGroup]);
        // One client for all nodes; no overall timeout, since a followed log streams for as long as the client wants.
        http = new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = new X509CertificateCollection { clientCertificate },
                RemoteCertificateValidationCallback = AcceptAgentCertificate,
            },
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>GET on an agent; <paramref name="address"/> must be https (the client certificate never goes out in the clear).</summary>
    public Task<HttpResponseMessage> GetAsync(Uri address, HttpCompletionOption completion, CancellationToken token)
    {
        RequireScheme(address, Uri.UriSchemeHttps);
        return http.GetAsync(address, completion, token);
    }

    /// <summary>
    /// Opens a WebSocket (wss only) to an agent with the given subprotocol, presenting the client certificate. An
    /// agent that answers the upgrade with an HTTP error gives an <see cref="AgentRefusedException"/>.
    /// </summary>
    public async Task<ClientWebSocket> ConnectWebSocketAsync(Uri address, string? subProtocol, CancellationToken token)
    {
        RequireScheme(address, Uri.UriSchemeWss);
        var socket = new ClientWebSocket();
        try
        {
            if (subProtocol is not null)
                socket.Options.AddSubProtocol(subProtocol);
            socket.Options.ClientCertificates.Add(clientCertificate);
            socket.Options.RemoteCertificateValidationCallback = AcceptAgentCertificate;
            socket.Options.CollectHttpResponseDetails = true;
            await socket.ConnectAsync(address, token).ConfigureAwait(false);
            return socket;
        }
        catch (WebSocketException e) when ((int)socket.HttpStatusCode >= 400)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            throw new AgentRefusedException(status, e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        http.Dispose();
        clientCertificate.Dispose();
    }

    /// <summary>https://{InternalIP}:{port}/, or null when the node has no agent endpoint.</summary>
    public static Uri? AgentAddress(JsonObject node)
    {
        var port = node.Long("status", "daemonEndpoints", "kubeletEndpoint", "Port") ?? 0;
        if (port is <= 0 or > 65535)
            return null;
        var address = (node.Arr("status", "addresses") ?? [])
            .OfType<JsonObject>()
            .Where(a => a.Str("type") is "InternalIP" or "Hostname")
            .OrderBy(a => a.Str("type") == "InternalIP" ? 0 : 1)
            .Select(a => a.Str("address"))
            .FirstOrDefault(a => !string.IsNullOrEmpty(a));
        if (address is null)
            return null;
        var host = address.Contains(':', StringComparison.Ordinal) ? $"[{address}]" : address;
        return new Uri($"https://{host}:{port.ToString(CultureInfo.InvariantCulture)}/");
    }

    public static bool IsReady(JsonObject node) =>
        (node.Arr("status", "conditions") ?? []).OfType<JsonObject>().Any(c => c.Str("type") == "Ready" && c.Str("status") == "True");

    // Self-signed agent certificates are accepted unverified (see the remarks above).
    private static bool AcceptAgentCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) => true;

    private static void RequireScheme(Uri address, string scheme)
    {
        if (!address.IsAbsoluteUri || address.Scheme != scheme)
            throw new ArgumentException($"node agents are reached over {scheme} only, not {address}", nameof(address));
    }
}
