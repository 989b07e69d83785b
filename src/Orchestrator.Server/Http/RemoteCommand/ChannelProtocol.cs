using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Orchestrator.Server.Http.RemoteCommand;

/// <summary>
/// One of the WebSocket subprotocols kube-apiserver serves for exec and attach. Every message carries a channel
/// (0 stdin, 1 stdout, 2 stderr, 3 error/status, 4 resize): as a leading byte of a binary message, or as a leading
/// ASCII digit of a text message whose rest is base64. From v4 on the error channel carries the whole Status as
/// JSON (success included); before it only a failure's message, as text. v5 adds the close signal [255, channel]
/// (the client's end of stdin). The node agent always speaks v5 binary; <see cref="FromClient"/> and
/// <see cref="ToClient"/> translate.
/// </summary>
public sealed record ChannelProtocol(string Name, bool Base64, bool JsonStatus, bool CloseSignal)
{
    public const byte StdoutChannel = 1;
    public const byte StderrChannel = 2;
    public const byte StatusChannel = 3;
    public const byte CloseChannel = 255;

    /// <summary>What the node agent speaks.</summary>
    public static ChannelProtocol V5 { get; } = new("v5.channel.k8s.io", Base64: false, JsonStatus: true, CloseSignal: true);

    /// <summary>Every protocol served, newest first.</summary>
    public static IReadOnlyList<ChannelProtocol> All { get; } =
    [
        V5,
        new("v5.base64.channel.k8s.io", Base64: true, JsonStatus: true, CloseSignal: true),
        new("v4.channel.k8s.io", Base64: false, JsonStatus: true, CloseSignal: false),
        new("v4.base64.channel.k8s.io", Base64: true, JsonStatus: true, CloseSignal: false),
        new("v3.channel.k8s.io", Base64: false, JsonStatus: false, CloseSignal: false),
        new("v2.channel.k8s.io", Base64: false, JsonStatus: false, CloseSignal: false),
        new("channel.k8s.io", Base64: false, JsonStatus: false, CloseSignal: false),
        new("base64.channel.k8s.io", Base64: true, JsonStatus: false, CloseSignal: false),
    ];

    /// <summary>
    /// The first protocol of the client's list that is served (the client's preference wins, as kube's negotiation
    /// does); a client that asks for none gets channel.k8s.io; null when none of those asked for is served.
    /// </summary>
    public static ChannelProtocol? Negotiate(IList<string> requested) => requested.Count == 0
        ? All.First(p => p.Name == "channel.k8s.io")
        : requested.Select(name => All.FirstOrDefault(p => p.Name == name)).FirstOrDefault(p => p is not null);

    /// <summary>A client's message as the agent's v5 binary message; null when there is nothing to pass on.</summary>
    public byte[]? FromClient(ReadOnlySpan<byte> message, WebSocketMessageType type)
    {
        if (message.IsEmpty)
            return null;
        if (message[0] == CloseChannel)
            return CloseSignal && message.Length == 2 ? message.ToArray() : null;
        if (!Base64)
            return type == WebSocketMessageType.Binary ? message.ToArray() : null;
        var channel = message[0] - '0';
        if (channel is < 0 or > 9)
            return null;
        var decoded = new byte[1 + (message.Length - 1) * 3 / 4 + 3];
        if (!Convert.TryFromBase64Chars(Encoding.ASCII.GetString(message[1..]), decoded.AsSpan(1), out var written))
            return null;
        decoded[0] = (byte)channel;
        return decoded[..(written + 1)];
    }

    /// <summary>An agent's v5 binary message as this protocol sends it to the client; null to send nothing.</summary>
    public (byte[] Data, WebSocketMessageType Type)? ToClient(ReadOnlySpan<byte> message)
    {
        if (message.IsEmpty)
            return null;
        var channel = message[0];
        var data = message[1..];
        if (channel == StatusChannel && !JsonStatus)
        {
            if (FailureMessage(data) is not { } failure)
                return null;
            data = Encoding.UTF8.GetBytes(failure);
        }
        return Encode(channel, data);
    }

    /// <summary>An empty message on a channel: kubelet opens every session with one on the lowest channel it writes.</summary>
    public (byte[] Data, WebSocketMessageType Type) Opening(byte channel) => Encode(channel, ReadOnlySpan<byte>.Empty);

    public (byte[] Data, WebSocketMessageType Type) Encode(byte channel, ReadOnlySpan<byte> data)
    {
        if (Base64)
            return (Encoding.ASCII.GetBytes((char)('0' + channel) + Convert.ToBase64String(data)), WebSocketMessageType.Text);
        var message = new byte[data.Length + 1];
        message[0] = channel;
        data.CopyTo(message.AsSpan(1));
        return (message, WebSocketMessageType.Binary);
    }

    /// <summary>A failed Status's message (what kube's pre-v4 protocols write); null for success.</summary>
    private static string? FailureMessage(ReadOnlySpan<byte> status)
    {
        try
        {
            var node = JsonNode.Parse(status);
            return node?["status"]?.GetValue<string>() == "Success" ? null : node?["message"]?.GetValue<string>() ?? "unknown error";
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return Encoding.UTF8.GetString(status);
        }
    }
}
