using System.Buffers;
using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Orchestrator.Node.Runtime;

namespace Orchestrator.Node.Agent;

// GET /exec/{ns}/{pod}/{container}?command=..&stdin=&stdout=&stderr=&tty= and GET /attach/{ns}/{pod}/{container}?stdin=..
// as a WebSocket with subprotocol v5.channel.k8s.io (the API server speaks every older one to clients and v5 to us):
// every binary message starts with its channel (0 stdin, 1 stdout, 2 stderr, 3 status, 4 resize
// {"Width":..,"Height":..}, 255 close: [255, 0] ends stdin). The session ends with a status message, as kubelet's
// does. Exec with tty=true runs the command on a terminal: all its output on channel 1, resizes applied. Attach
// joins the container's main process through its shim (RuncRuntime.AttachAsync) and ends when the container's
// output does, or when the client leaves.
public sealed partial class NodeAgent
{
    private const string ExecProtocol = "v5.channel.k8s.io";

    /// <summary>A larger client message ends the session (kubectl's are 32 KiB and a channel byte).</summary>
    private const int MaxClientMessage = 4 * 1024 * 1024;

    /// <summary>What a session hands the runtime: the client's input, its outputs and its terminal sizes.</summary>
    private sealed record StreamSession(string ContainerId, Stream? Stdin, Stream Stdout, Stream Stderr, ChannelReader<TerminalSize>? Resizes);

    private Task ServeExecAsync(HttpContext http, string ns, string podName, string container, CancellationToken token)
    {
        string[] command = [.. http.Request.Query["command"].OfType<string>()];
        if (command.Length == 0)
            return WriteTextAsync(http.Response, 400, "exec needs at least one command");
        return ServeStreamsAsync(http, ns, podName, container, endsWithClient: false, async (session, sessionToken) =>
        {
            var exitCode = session.Resizes is null
                ? await Runtime.ExecAsync(session.ContainerId, command, session.Stdin, session.Stdout, session.Stderr, sessionToken).ConfigureAwait(false)
                : await ExecInTerminalAsync(session.ContainerId, command, session.Stdin, session.Stdout, session.Resizes, sessionToken).ConfigureAwait(false);
            return exitCode == 0
                ? Success()
                : Failure($"command terminated with non-zero exit code: error executing command [{string.Join(' ', command)}], exit code {exitCode}",
                    "NonZeroExitCode", new JsonArray(new JsonObject { ["reason"] = "ExitCode", ["message"] = exitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        }, token);
    }

    private Task ServeAttachAsync(HttpContext http, string ns, string podName, string container, CancellationToken token) =>
        ServeStreamsAsync(http, ns, podName, container, endsWithClient: true, async (session, sessionToken) =>
        {
            await Runtime.AttachAsync(session.ContainerId, session.Stdin, session.Stdout, session.Stderr, session.Resizes, sessionToken).ConfigureAwait(false);
            return Success();
        }, token);

    /// <param name="endsWithClient">Whether the client closing the socket ends the session (attach) rather than only its stdin (exec).</param>
    /// <param name="run">Runs the session to its end; the status to send.</param>
    private async Task ServeStreamsAsync(HttpContext http, string ns, string podName, string container, bool endsWithClient,
        Func<StreamSession, CancellationToken, Task<JsonObject>> run, CancellationToken token)
    {
        var query = http.Request.Query;
        var worker = workers.Values.FirstOrDefault(w => w.Namespace == ns && w.Name == podName);
        var slot = worker?.Containers.FirstOrDefault(s => s.Name == container);
        if (!http.WebSockets.IsWebSocketRequest)
        {
            await WriteTextAsync(http.Response, 400, "a WebSocket upgrade is needed").ConfigureAwait(false);
            return;
        }
        if (slot?.RuntimeId is not { } id || !slot.IsRunning)
        {
            await WriteTextAsync(http.Response, 404, $"container {container} of pod {ns}/{podName} is not running on node {options.NodeName}").ConfigureAwait(false);
            return;
        }
        using var socket = await http.WebSockets.AcceptWebSocketAsync(ExecProtocol).ConfigureAwait(false);
        using var sending = new SemaphoreSlim(1, 1);
        using var session = CancellationTokenSource.CreateLinkedTokenSource(token);
        var stdin = IsTrue(query["stdin"].ToString()) ? new Pipe() : null;
        var resizes = IsTrue(query["tty"].ToString())
            ? Channel.CreateBounded<TerminalSize>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest })
            : null;
        var reading = ReadClientAsync(socket, stdin, resizes?.Writer, endsWithClient ? session : null, session.Token);
        await using var stdout = new ChannelStream(socket, 1, sending, session.Token);
        await using var stderr = new ChannelStream(socket, 2, sending, session.Token);
        JsonObject? status;
        try
        {
            status = await run(new StreamSession(id, stdin?.Reader.AsStream(), stdout, stderr, resizes?.Reader), session.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            status = null; // The client (or the agent) went away: nobody to tell.
        }
        catch (Exception e)
        {
            status = Failure($"{(endsWithClient ? "attach" : "exec")} failed: {e.Message}", "InternalError", null);
        }
        try
        {
            if (status is not null)
                await SendAsync(socket, 3, Encoding.UTF8.GetBytes(status.ToJsonString()), sending, session.Token).ConfigureAwait(false);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        await session.CancelAsync().ConfigureAwait(false);
        try
        {
            await reading.ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private static JsonObject Success() => new() { ["metadata"] = new JsonObject(), ["status"] = "Success" };

    private static JsonObject Failure(string message, string reason, JsonArray? causes)
    {
        var status = new JsonObject { ["metadata"] = new JsonObject(), ["status"] = "Failure", ["message"] = message, ["reason"] = reason };
        if (causes is not null)
            status["details"] = new JsonObject { ["causes"] = causes };
        return status;
    }

    private async Task<int> ExecInTerminalAsync(string id, string[] command, Stream? stdin, Stream output, ChannelReader<TerminalSize> resizes, CancellationToken token)
    {
        // kubectl sends its terminal's size right after connecting: waiting a moment for it starts the command with
        // the right size instead of resizing it under a command that may already have asked (stty size, a prompt).
        var size = new TerminalSize(80, 24);
        using (var first = CancellationTokenSource.CreateLinkedTokenSource(token))
        {
            first.CancelAfter(TimeSpan.FromSeconds(1));
            try
            {
                size = await resizes.ReadAsync(first.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ChannelClosedException || e is OperationCanceledException && !token.IsCancellationRequested)
            {
                // No size from this client: the default.
            }
        }
        return await Runtime.ExecInTerminalAsync(id, command, stdin, output, size, resizes, token).ConfigureAwait(false);
    }

    /// <summary>A resize message, {"Width":..,"Height":..}; null when it is not one.</summary>
    private static TerminalSize? ParseResize(ReadOnlySpan<byte> json)
    {
        try
        {
            var size = JsonNode.Parse(json);
            var width = size?["Width"]?.GetValue<int>() ?? 0;
            var height = size?["Height"]?.GetValue<int>() ?? 0;
            return width is > 0 and <= ushort.MaxValue && height is > 0 and <= ushort.MaxValue
                ? new TerminalSize((ushort)width, (ushort)height)
                : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// Feeds channel 0 into the command's stdin and channel 4 into <paramref name="resizes"/>; [255, 0] or the
    /// socket closing ends stdin; the socket closing also cancels <paramref name="leaving"/>.
    /// </summary>
    private static async Task ReadClientAsync(WebSocket socket, Pipe? stdin, ChannelWriter<TerminalSize>? resizes, CancellationTokenSource? leaving, CancellationToken token)
    {
        var buffer = new byte[32 * 1024];
        // A message may come in several receives (kubectl's stdin chunks are 32 KiB plus the channel byte): the
        // channel is the first byte of the message, not of each receive.
        var message = new ArrayBufferWriter<byte>();
        var left = true;
        try
        {
            while (!token.IsCancellationRequested)
            {
                var received = await socket.ReceiveAsync(buffer, token).ConfigureAwait(false);
                if (received.MessageType == WebSocketMessageType.Close)
                    break;
                if (message.WrittenCount + received.Count > MaxClientMessage)
                    break;
                message.Write(buffer.AsSpan(0, received.Count));
                if (!received.EndOfMessage)
                    continue;
                var data = message.WrittenMemory;
                message.ResetWrittenCount();
                if (data.Length == 0)
                    continue;
                if (data.Span[0] == 0 && stdin is not null && data.Length > 1)
                    await stdin.Writer.WriteAsync(data[1..], token).ConfigureAwait(false);
                else if (data.Span[0] == 4 && resizes is not null && ParseResize(data.Span[1..]) is { } size)
                    resizes.TryWrite(size);
                else if (data.Span[0] == 255 && data.Length > 1 && data.Span[1] == 0)
                {
                    left = false;
                    break;
                }
            }
        }
        finally
        {
            resizes?.TryComplete();
            if (stdin is not null)
                await stdin.Writer.CompleteAsync().ConfigureAwait(false);
            // The end of stdin is passed on before the session is cancelled (stdinOnce closes the container's stdin).
            if (left && leaving is not null)
                await leaving.CancelAsync().ConfigureAwait(false);
        }
    }

    private static async Task SendAsync(WebSocket socket, byte channel, ReadOnlyMemory<byte> data, SemaphoreSlim sending, CancellationToken token)
    {
        var message = new byte[data.Length + 1];
        message[0] = channel;
        data.CopyTo(message.AsMemory(1));
        await sending.WaitAsync(token).ConfigureAwait(false);
        try
        {
            await socket.SendAsync(message, WebSocketMessageType.Binary, endOfMessage: true, token).ConfigureAwait(false);
        }
        finally
        {
            sending.Release();
        }
    }

    /// <summary>A write-only stream that sends what is written as messages on one channel.</summary>
    private sealed class ChannelStream(WebSocket socket, byte channel, SemaphoreSlim sending, CancellationToken token) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) =>
            throw new NotSupportedException("write asynchronously");

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (buffer.Length > 0)
                await SendAsync(socket, channel, buffer, sending, token).ConfigureAwait(false);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }
}
