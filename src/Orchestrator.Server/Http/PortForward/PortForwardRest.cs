using System.Globalization;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Orchestrator.Api.Errors;
using Orchestrator.Server.Http.RemoteCommand;
using Orchestrator.Server.Http.Rest;
using Orchestrator.Server.Http.Spdy;

namespace Orchestrator.Server.Http.PortForward;

/// <summary>
/// pods/{name}/portforward in the three forms clients use: SPDY/3.1 tunneled in WebSocket binary messages
/// (kubectl 1.31 and later, subprotocol SPDY/3.1+portforward.k8s.io), SPDY/3.1 over an upgraded HTTP/1.1
/// connection (older kubectl, and kubectl's fallback), and the channel WebSocket protocol (<see cref="ChannelPortForward"/>).
/// Every forwarded connection becomes a WebSocket to the pod's node agent, which dials the port inside the pod.
/// </summary>
public sealed class PortForwardRest(PodAgents pods) : ISubresourceRest
{
    private const string PortForwardProtocol = "portforward.k8s.io";
    private const string TunneledProtocol = SpdyUpgrade.Protocol + "+" + PortForwardProtocol;

    public async Task HandleAsync(RestRequest request)
    {
        var context = request.Context;
        var token = request.Token;
        var isWebSocket = context.WebSockets.IsWebSocketRequest;
        var isSpdy = SpdyUpgrade.IsRequested(context);
        if (!isWebSocket && !isSpdy)
            throw ApiException.BadRequest($"Upgrade request required: port-forward needs a WebSocket ({TunneledProtocol} or v4.channel.k8s.io) or a {SpdyUpgrade.Protocol} upgrade");
        var requested = context.WebSockets.WebSocketRequestedProtocols;
        var tunneled = isWebSocket && requested.Contains(TunneledProtocol);
        ChannelProtocol? channels = null;
        IReadOnlyList<int> ports = [];
        if (isWebSocket && !tunneled)
        {
            channels = requested.Count == 0
                ? ChannelPortForward.Protocols[0]
                : requested.Select(name => ChannelPortForward.Protocols.FirstOrDefault(p => p.Name == name)).FirstOrDefault(p => p is not null)
                  ?? throw ApiException.BadRequest($"requested protocol(s) are not supported: [{string.Join(' ', requested)}]; supports "
                      + $"[{TunneledProtocol} {string.Join(' ', ChannelPortForward.Protocols.Select(p => p.Name))}]");
            ports = Ports(context.Request.Query["ports"]);
        }
        if (isSpdy && !SpdyUpgrade.ClientProtocols(context).Contains(PortForwardProtocol))
            throw ApiException.BadRequest($"unable to negotiate a stream protocol: the client supports [{string.Join(' ', SpdyUpgrade.ClientProtocols(context))}], the server [{PortForwardProtocol}]");

        var pod = await request.Store.GetAsync(request.Namespace, request.Name, local: false, token);
        var phase = pod.Str("status", "phase");
        if (phase != "Running")
            throw ApiException.BadRequest($"unable to forward port because pod is not running. Current status={phase ?? "Pending"}");
        var (address, _) = await pods.NodeOfAsync(pod, "forwards ports", token);
        var relay = new AgentPortRelay(pods.Connections, address, request.Namespace!, request.Name);
        Task Forward(PortClient client) => relay.RunAsync(client, token);

        if (channels is not null)
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync(requested.Count == 0 ? null : channels.Name);
            await new ChannelPortForward(socket, channels).RunAsync(ports, Forward, token);
            return;
        }
        Stream transport;
        WebSocket? tunnel = null;
        if (tunneled)
        {
            // ASP.NET Core refuses '/' in a subprotocol it is given (RFC 6455 tokens exclude it), but kube's name has
            // one: the header is set here and the upgrade accepted without a subprotocol of its own.
            context.Response.Headers.SecWebSocketProtocol = TunneledProtocol;
            tunnel = await context.WebSockets.AcceptWebSocketAsync();
            transport = WebSocketStream.Create(tunnel, WebSocketMessageType.Binary, ownsWebSocket: false);
        }
        else
        {
            transport = await SpdyUpgrade.AcceptAsync(context, PortForwardProtocol);
        }
        await using (transport)
        using (tunnel)
        {
            await new SpdyConnection(transport, new SpdyPortForward(Forward, SpdyPortForward.DefaultPairTimeout).OnStreamAsync).RunAsync(token);
        }
    }

    /// <summary>?ports=80,8080 (or repeated): each a number between 1 and 65535, at least one.</summary>
    private static int[] Ports(Microsoft.Extensions.Primitives.StringValues values)
    {
        var ports = new List<int>();
        foreach (var part in values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
                throw ApiException.BadRequest($"invalid port {part}: a port must be a number between 1 and 65535");
            ports.Add(port);
        }
        if (ports.Count == 0)
            throw ApiException.BadRequest("at least one port must be specified in the ports query parameter");
        return [.. ports];
    }
}
