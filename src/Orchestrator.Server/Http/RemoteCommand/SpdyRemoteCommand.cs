using System.Buffers;
using System.IO.Pipelines;
using System.Net.WebSockets;
using Orchestrator.Server.Http.Spdy;

namespace Orchestrator.Server.Http.RemoteCommand;

/// <summary>
/// Exec or attach over SPDY/3.1, as kubectl speaks it when WebSockets are off (KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false)
/// and as kubectl before 1.30 and client-go's SPDY executor always do. The client opens one stream per standard
/// stream, an error stream, and a resize stream with a terminal (v3 on); once every stream the request asked for is
/// open, they are relayed to the agent's v5 WebSocket: stdin as channel 0 (its FIN as the close signal), each
/// newline-ended resize as channel 4, channels 1 and 2 back to stdout and stderr, and the status to the error
/// stream in the negotiated version's form. Every stream then gets our FIN.
/// </summary>
internal sealed class SpdyRemoteCommand(Stream transport, WebSocket agent, ChannelProtocol protocol, bool stdin, bool stdout, bool stderr, bool tty)
{
    /// <summary>The stream protocols served over SPDY, newest first (base64 framing is for WebSockets only).</summary>
    public static IReadOnlyList<ChannelProtocol> Protocols { get; } =
        [.. ChannelProtocol.All.Where(p => p.Name is "v4.channel.k8s.io" or "v3.channel.k8s.io" or "v2.channel.k8s.io" or "channel.k8s.io")];

    /// <summary>How long the client has to open its streams, as kubelet's stream creation timeout.</summary>
    private static readonly TimeSpan StreamCreationTimeout = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim toAgent = new(1, 1);

    /// <summary>The client's first offered protocol that is served; a client that offers none gets channel.k8s.io.</summary>
    public static ChannelProtocol? Negotiate(IReadOnlyList<string> offered) => offered.Count == 0
        ? Protocols[^1]
        : offered.Select(name => Protocols.FirstOrDefault(p => p.Name == name)).FirstOrDefault(p => p is not null);

    public async Task RunAsync(CancellationToken token)
    {
        var required = new HashSet<string>(StringComparer.Ordinal) { "error" };
        if (stdin)
            required.Add("stdin");
        if (stdout)
            required.Add("stdout");
        if (stderr && !tty)
            required.Add("stderr");
        if (tty && protocol.Name != "channel.k8s.io" && protocol.Name != "v2.channel.k8s.io")
            required.Add("resize");
        var streams = new Dictionary<string, SpdyStream>(StringComparer.Ordinal);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var connection = new SpdyConnection(transport, async stream =>
        {
            var type = stream.Header("streamType") ?? "";
            bool known;
            lock (streams)
            {
                known = type is "error" or "stdin" or "stdout" or "stderr" or "resize" && streams.TryAdd(type, stream);
                if (required.IsSubsetOf(streams.Keys))
                    ready.TrySetResult();
            }
            if (!known)
                await stream.CloseAsync(CancellationToken.None).ConfigureAwait(false);
        });
        using var session = CancellationTokenSource.CreateLinkedTokenSource(token);
        var reading = connection.RunAsync(session.Token);
        var opened = await Task.WhenAny(ready.Task, reading, Task.Delay(StreamCreationTimeout, token)).ConfigureAwait(false);
        if (opened == ready.Task)
        {
            Dictionary<string, SpdyStream> open;
            lock (streams)
                open = new(streams, StringComparer.Ordinal);
            await RelayAsync(open, session.Token).ConfigureAwait(false);
            // The client leaves once it has every stream's end; what it still sends meanwhile is read, not reset.
            await Task.WhenAny(reading, Task.Delay(TimeSpan.FromSeconds(5), token)).ConfigureAwait(false);
        }
        await session.CancelAsync().ConfigureAwait(false);
        await reading.ConfigureAwait(false);
    }

    private async Task RelayAsync(Dictionary<string, SpdyStream> streams, CancellationToken token)
    {
        using var relay = CancellationTokenSource.CreateLinkedTokenSource(token);
        var pumps = new List<Task>();
        if (streams.TryGetValue("stdin", out var input))
            pumps.Add(PumpStdinAsync(input.Input, relay.Token));
        if (streams.TryGetValue("resize", out var resize))
            pumps.Add(PumpResizesAsync(resize.Input, relay.Token));
        try
        {
            await FromAgentAsync(streams, relay.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException && !token.IsCancellationRequested)
        {
            // The agent or the client went away: the session is over.
        }
        try
        {
            foreach (var stream in streams.Values)
                await stream.CloseAsync(token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
        await relay.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(pumps).ConfigureAwait(false);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await agent.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    /// <summary>The agent's output to the client's streams until its status (or its close).</summary>
    private async Task FromAgentAsync(Dictionary<string, SpdyStream> streams, CancellationToken token)
    {
        var reader = new WebSocketMessageReader(agent);
        while (await reader.ReadAsync(token).ConfigureAwait(false) is var (data, _))
        {
            if (data.Length < 1)
                continue;
            switch (data.Span[0])
            {
                case ChannelProtocol.StdoutChannel when streams.TryGetValue("stdout", out var output):
                    await output.WriteAsync(data[1..], token).ConfigureAwait(false);
                    break;
                case ChannelProtocol.StderrChannel when streams.TryGetValue("stderr", out var errors):
                    await errors.WriteAsync(data[1..], token).ConfigureAwait(false);
                    break;
                case ChannelProtocol.StatusChannel:
                    // v4 passes the Status on as JSON; earlier versions only a failure's message, as text.
                    if (protocol.ToClient(data.Span) is var (status, _) && status.Length > 1)
                        await streams["error"].WriteAsync(status.AsMemory(1), token).ConfigureAwait(false);
                    return;
            }
        }
    }

    private async Task PumpStdinAsync(PipeReader input, CancellationToken token)
    {
        try
        {
            while (true)
            {
                var read = await input.ReadAsync(token).ConfigureAwait(false);
                foreach (var segment in read.Buffer)
                    await SendToAgentAsync(0, segment, token).ConfigureAwait(false);
                input.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted)
                    break;
            }
            // The end of the client's stdin: v5's close signal for channel 0.
            await SendToAgentAsync(ChannelProtocol.CloseChannel, new byte[] { 0 }, token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    /// <summary>kubectl writes each terminal size as a JSON object and a newline.</summary>
    private async Task PumpResizesAsync(PipeReader input, CancellationToken token)
    {
        try
        {
            while (true)
            {
                var read = await input.ReadAsync(token).ConfigureAwait(false);
                var buffer = read.Buffer;
                while (buffer.PositionOf((byte)'\n') is { } end)
                {
                    var line = buffer.Slice(0, end).ToArray();
                    buffer = buffer.Slice(buffer.GetPosition(1, end));
                    if (line.Length > 0)
                        await SendToAgentAsync(4, line, token).ConfigureAwait(false);
                }
                input.AdvanceTo(buffer.Start, buffer.End);
                if (read.IsCompleted)
                    break;
            }
        }
        catch (Exception e) when (e is IOException or WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private async Task SendToAgentAsync(byte channel, ReadOnlyMemory<byte> data, CancellationToken token)
    {
        var message = new byte[data.Length + 1];
        message[0] = channel;
        data.CopyTo(message.AsMemory(1));
        await toAgent.WaitAsync(token).ConfigureAwait(false);
        try
        {
            await agent.SendAsync(message, WebSocketMessageType.Binary, true, token).ConfigureAwait(false);
        }
        finally
        {
            toAgent.Release();
        }
    }
}
