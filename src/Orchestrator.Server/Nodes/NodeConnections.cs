using System.Globalization;
using System.Text.Json.Nodes;
using Orchestrator.Server.Resources;

namespace Orchestrator.Server.Nodes;

/// <summary>
/// How the API server reaches a node agent: plain HTTP to the Node's InternalIP and daemonEndpoints.kubeletEndpoint.Port.
/// Simulated nodes publish no usable endpoint (port 0 or none) and are skipped by callers.
/// </summary>
public static class NodeConnections
{
    /// <summary>One client for all nodes; no overall timeout, since a followed log streams for as long as the client wants.</summary>
    public static HttpClient Http { get; } = new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5), PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30) })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>http://{InternalIP}:{port}, or null when the node has no agent endpoint.</summary>
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
        return new Uri($"http://{host}:{port.ToString(CultureInfo.InvariantCulture)}/");
    }

    public static bool IsReady(JsonObject node) =>
        (node.Arr("status", "conditions") ?? []).OfType<JsonObject>().Any(c => c.Str("type") == "Ready" && c.Str("status") == "True");
}
