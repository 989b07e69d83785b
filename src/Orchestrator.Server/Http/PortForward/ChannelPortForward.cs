using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Text;
using Orchestrator.Server.Http.RemoteCommand;

namespace Orchestrator.Server.Http.PortForward;

/// <summary>
/// Port-forward over a plain WebSocket, as kubelet serves it to clients that speak no SPDY (the official
/// JavaScript, Python and C# clients): one connection per port of <c>?ports=</c>, opened at once; port i has
/// data channel 2i and error channel 2i+1, and each channel's first message from the server is the port as two
/// little-endian bytes. Channel framing (binary, or base64 text) is that of <see cref="ChannelProtocol"/>.
/// </summary>
internal sealed class ChannelPortForward(WebSocket socket, ChannelProtocol framing)
{
    /// <summary>The subprotocols served; a client asking for none gets binary framing.</summary>
    public static IReadOnlyList<ChannelProtocol> Protocols { get; } =
        [.. ChannelProtocol.All.Where(p => p.Name is "v4.channel.k8s.io" or "v4.base64.channel.k8s.io")];

    private readonly SemaphoreSlim sending = new(1, 1);

    public async Task RunAsync(IReadOnlyList<int> ports, Func<PortClient, Task> forward, CancellationToken token)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(token);
        var clients = ports.Select((port, i) => new ChannelPortClient(this, port, (byte)(2 * i))).ToArray();
        foreach (var client in clients)
        {
            var portBytes = new[] { (byte)client.Port, (byte)(client.Port >> 8) };
            await SendAsync(client.DataChannel, portBytes, session.Token).ConfigureAwait(false);
            await SendAsync((byte)(client.DataChannel + 1), portBytes, session.Token).ConfigureAwait(false);
        }
        var reading = ReadAsync(clients, session.Token);
        await Task.WhenAll(clients.Select(forward)).ConfigureAwait(false);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        // The client answers the close, which ends the reading; cancelling the receive instead would reset the
        // connection and could lose the last data on its way.
        if (await Task.WhenAny(reading, Task.Delay(TimeSpan.FromSeconds(5), token)).ConfigureAwait(false) != reading)
            await session.CancelAsync().ConfigureAwait(false);
        await reading.ConfigureAwait(false);
    }

    /// <summary>The client's data channels into each port's input; its close ends them all.</summary>
    private async Task ReadAsync(ChannelPortClient[] clients, CancellationToken token)
    {
        var reader = new WebSocketMessageReader(socket);
        try
        {
            while (await reader.ReadAsync(token).ConfigureAwait(false) is var (message, type))
            {
                var decoded = framing.FromClient(message.Span, type);
                if (decoded is { Length: > 1 } && decoded[0] % 2 == 0 && decoded[0] / 2 < clients.Length)
                    await clients[decoded[0] / 2].Pipe.Writer.WriteAsync(decoded.AsMemory(1), token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        foreach (var client in clients)
            await client.Pipe.Writer.CompleteAsync().ConfigureAwait(false);
    }

    private async Task SendAsync(byte channel, ReadOnlyMemory<byte> data, CancellationToken token)
    {
        var (bytes, type) = framing.Encode(channel, data.Span);
        await sending.WaitAsync(token).ConfigureAwait(false);
        try
        {
            await socket.SendAsync(bytes, type, true, token).ConfigureAwait(false);
        }
        finally
        {
            sending.Release();
        }
    }

    private sealed class ChannelPortClient(ChannelPortForward owner, int port, byte dataChannel) : PortClient(port)
    {
        public byte DataChannel { get; } = dataChannel;

        public Pipe Pipe { get; } = new();

        public override PipeReader Input => Pipe.Reader;

        public override async Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken token)
        {
            for (var offset = 0; offset < data.Length; offset += 32 * 1024)
                await owner.SendAsync(DataChannel, data.Slice(offset, Math.Min(32 * 1024, data.Length - offset)), token).ConfigureAwait(false);
        }

        public override Task FailAsync(string message, CancellationToken token) =>
            owner.SendAsync((byte)(DataChannel + 1), Encoding.UTF8.GetBytes(message), token);

        // The channels stay until the WebSocket closes, which happens once every port's connection has ended.
        public override Task CloseAsync(CancellationToken token) => Task.CompletedTask;
    }
}
