using System.Net.WebSockets;
using System.Text;
using Orchestrator.Api.Errors;
using Orchestrator.Server.Http.Rest;
using Orchestrator.Server.Http.Spdy;

namespace Orchestrator.Server.Http.RemoteCommand;

/// <summary>
/// pods/{name}/exec and pods/{name}/attach as a WebSocket in any <see cref="ChannelProtocol"/>, or over SPDY/3.1
/// (<see cref="SpdyRemoteCommand"/>): opens a v5 WebSocket to the pod's node agent (/exec/... or /attach/...) and
/// relays both ways, translating the client's protocol. What differs between the two: exec needs a command.
/// </summary>
public sealed class RemoteCommandRest : ISubresourceRest
{
    private readonly PodAgents pods;
    private readonly string verb;
    private readonly string[] parameters;

    private RemoteCommandRest(PodAgents pods, string verb, string[] parameters)
    {
        this.pods = pods;
        this.verb = verb;
        this.parameters = parameters;
    }

    public static RemoteCommandRest Exec(PodAgents pods) => new(pods, "exec", ["command", "stdin", "stdout", "stderr", "tty"]);

    public static RemoteCommandRest Attach(PodAgents pods) => new(pods, "attach", ["stdin", "stdout", "stderr", "tty"]);

    public async Task HandleAsync(RestRequest request)
    {
        var context = request.Context;
        var token = request.Token;
        var offered = string.Join(", ", ChannelProtocol.All.Select(p => p.Name));
        var spdy = SpdyUpgrade.IsRequested(context);
        if (!context.WebSockets.IsWebSocketRequest && !spdy)
            throw ApiException.BadRequest($"{verb} needs a WebSocket upgrade with one of the subprotocols {offered}, or a {SpdyUpgrade.Protocol} upgrade");
        var protocol = spdy
            ? SpdyRemoteCommand.Negotiate(SpdyUpgrade.ClientProtocols(context))
              ?? throw ApiException.BadRequest($"unable to negotiate a stream protocol: the client supports [{string.Join(' ', SpdyUpgrade.ClientProtocols(context))}], "
                  + $"the server [{string.Join(' ', SpdyRemoteCommand.Protocols.Select(p => p.Name))}]")
            : ChannelProtocol.Negotiate(context.WebSockets.WebSocketRequestedProtocols)
              ?? throw ApiException.BadRequest($"requested protocol(s) are not supported: [{string.Join(' ', context.WebSockets.WebSocketRequestedProtocols)}]; supports [{offered}]");
        if (verb == "exec" && context.Request.Query["command"].Count == 0)
            throw ApiException.BadRequest("you must specify at least 1 command");
        bool Requested(string stream) => RestRequest.Normalized(stream, context.Request.Query[stream].ToString()) == "true";
        var stdin = Requested("stdin");
        var stdout = Requested("stdout");
        var stderr = Requested("stderr");
        if (!stdin && !stdout && !stderr)
            throw ApiException.BadRequest("you must specify at least 1 of stdin, stdout, stderr");
        var (address, container, nodeName) = await pods.TargetAsync(request, verb == "exec" ? "runs commands" : "attaches", token);

        var target = new StringBuilder($"wss://{address.Authority}/{verb}/{Uri.EscapeDataString(request.Info.Namespace!)}/{Uri.EscapeDataString(request.Name)}/{Uri.EscapeDataString(container)}");
        var separator = '?';
        foreach (var parameter in parameters)
        {
            foreach (var value in context.Request.Query[parameter])
            {
                target.Append(separator).Append(parameter).Append('=').Append(Uri.EscapeDataString(RestRequest.Normalized(parameter, value ?? "")));
                separator = '&';
            }
        }
        ClientWebSocket upstreamSocket;
        try
        {
            using var connect = CancellationTokenSource.CreateLinkedTokenSource(token);
            connect.CancelAfter(TimeSpan.FromSeconds(10));
            upstreamSocket = await pods.Connections.ConnectWebSocketAsync(new Uri(target.ToString()), ChannelProtocol.V5.Name, connect.Token);
        }
        catch (Nodes.AgentRefusedException e) when (e.Status == System.Net.HttpStatusCode.NotFound)
        {
            // As kubelet answers through kube-apiserver: the container is not (or no longer) running on its node.
            throw ApiException.BadRequest($"unable to upgrade connection: container not found (\"{container}\")");
        }
        catch (Nodes.AgentRefusedException e)
        {
            throw ApiException.BadRequest($"unable to upgrade connection: {e.Message}");
        }
        catch (Exception e) when (e is WebSocketException or HttpRequestException or OperationCanceledException && !token.IsCancellationRequested)
        {
            throw ApiException.ServiceUnavailable($"the node agent of {nodeName} could not be reached: {e.Message}");
        }
        using var upstream = upstreamSocket;
        if (spdy)
        {
            await using var transport = await SpdyUpgrade.AcceptAsync(context, SpdyUpgrade.ClientProtocols(context).Length == 0 ? null : protocol.Name);
            await new SpdyRemoteCommand(transport, upstream, protocol, stdin, stdout, stderr, Requested("tty")).RunAsync(token);
            return;
        }
        using var client = await context.WebSockets.AcceptWebSocketAsync(protocol.Name);
        await new ChannelRelay(client, upstream, protocol).RunAsync(stdout ? ChannelProtocol.StdoutChannel : stderr ? ChannelProtocol.StderrChannel : ChannelProtocol.StatusChannel, token);
    }
}
