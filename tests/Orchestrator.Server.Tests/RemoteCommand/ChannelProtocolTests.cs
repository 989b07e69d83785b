using System.Net.WebSockets;
using System.Text;
using Orchestrator.Server.Http.RemoteCommand;
using Xunit;

namespace Orchestrator.Server.Tests.RemoteCommand;

public sealed class ChannelProtocolTests
{
    private static ChannelProtocol Named(string name) => ChannelProtocol.All.Single(p => p.Name == name);

    [Fact]
    public void Negotiation_takes_the_clients_first_served_protocol_and_defaults_to_channel_k8s_io()
    {
        Assert.Equal("v4.channel.k8s.io", ChannelProtocol.Negotiate(["v9.channel.k8s.io", "v4.channel.k8s.io", "v5.channel.k8s.io"])!.Name);
        Assert.Equal("channel.k8s.io", ChannelProtocol.Negotiate([])!.Name);
        Assert.Null(ChannelProtocol.Negotiate(["SPDY/3.1", "v9.channel.k8s.io"]));
    }

    [Fact]
    public void Base64_messages_are_decoded_for_the_agent_and_encoded_for_the_client()
    {
        var protocol = Named("v4.base64.channel.k8s.io");
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, protocol.FromClient(Encoding.ASCII.GetBytes("0" + Convert.ToBase64String(new byte[] { 1, 2, 255 })), WebSocketMessageType.Text));
        Assert.Null(protocol.FromClient("x!!"u8, WebSocketMessageType.Text));
        Assert.Null(protocol.FromClient("0%%%"u8, WebSocketMessageType.Text));

        var (data, type) = protocol.ToClient([2, (byte)'h', (byte)'i'])!.Value;
        Assert.Equal(WebSocketMessageType.Text, type);
        Assert.Equal("2" + Convert.ToBase64String("hi"u8.ToArray()), Encoding.ASCII.GetString(data));
        Assert.Equal("1", Encoding.ASCII.GetString(protocol.Opening(1).Data));
    }

    [Fact]
    public void Only_v5_passes_the_close_signal_on()
    {
        Assert.Equal(new byte[] { 255, 0 }, ChannelProtocol.V5.FromClient([255, 0], WebSocketMessageType.Binary));
        Assert.Null(Named("v4.channel.k8s.io").FromClient([255, 0], WebSocketMessageType.Binary));
        Assert.Null(ChannelProtocol.V5.FromClient([255, 0, 1], WebSocketMessageType.Binary));
        Assert.Equal(new byte[] { 0, 7 }, Named("channel.k8s.io").FromClient([0, 7], WebSocketMessageType.Binary));
    }

    [Fact]
    public void Before_v4_the_status_channel_carries_only_a_failures_message()
    {
        var success = Encoding.UTF8.GetBytes("\u0003{\"metadata\":{},\"status\":\"Success\"}");
        var failure = Encoding.UTF8.GetBytes("\u0003{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command terminated with non-zero exit code: exit code 2\"}");
        var v1 = Named("channel.k8s.io");
        Assert.Null(v1.ToClient(success));
        Assert.Equal("\u0003command terminated with non-zero exit code: exit code 2", Encoding.UTF8.GetString(v1.ToClient(failure)!.Value.Data));
        Assert.Equal(success, ChannelProtocol.V5.ToClient(success)!.Value.Data);
        Assert.Equal(failure, Named("v4.channel.k8s.io").ToClient(failure)!.Value.Data);
    }
}
