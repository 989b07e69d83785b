using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Orchestrator.Node.Runtime;

namespace Orchestrator.Node.Agent;

// GET /exec/{ns}/{pod}/{container}?command=..&stdin=&stdout=&stderr=&tty= as a WebSocket with subprotocol
// v5.channel.k8s.io: every binary message starts with its channel (0 stdin, 1 stdout, 2 stderr, 3 status,
// 4 resize {"Width":..,"Height":..}, 255 close: [255, 0] ends stdin). The session ends with a status message, as
// kubelet's does. With tty=true the command runs on a terminal: all its output on channel 1, resizes applied.
public sealed partial class NodeAgent
{
    private const string ExecProtocol = "v5.channel.k8s.io";

    private async Task ServeExecAsync(HttpContext http, string ns, string podName, string container, CancellationToken token)
    {
        var query = http.Request.Query;
        string[] command = [.. query["command"].OfType<string>()];
        var worker = workers.Values.FirstOrDefault(w => w.Namespace == ns && w.Name == podName);
        var slot = worker?.Containers.FirstOrDefault(s => s.Name == container);
        if (!http.WebSockets.IsWebSocketRequest || command.Length == 0)
        {
            await WriteTextAsync(http.Response, 400, "exec needs a WebSocket upgrade and at least one command").ConfigureAwait(false);
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
        var reading = ReadClientAsync(socket, stdin, resizes?.Writer, session.Token);
        await using var stdout = new ChannelStream(socket, 1, sending, session.Token);
        await using var stderr = new ChannelStream(socket, 2, sending, session.Token);
        JsonObject status;
        try
        {
            var exitCode = resizes is null
                ? await Runtime.ExecAsync(id, command, stdin?.Reader.AsStream(), stdout, stderr, session.Token).ConfigureAwait(false)
                : await ExecInTerminalAsync(id, command, stdin?.Reader.AsStream(), stdout, resizes.Reader, session.Token).ConfigureAwait(false);
            status = exitCode == 0
                ? new JsonObject { ["metadata"] = new JsonObject(), ["status"] = "Success" }
                : Failure($"command terminated with non-zero exit code: error executing command [{string.Join(' ', command)}], exit code {exitCode}",
                    "NonZeroExitCode", new JsonArray(new JsonObject { ["reason"] = "ExitCode", ["message"] = exitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            status = Failure($"exec failed: {e.Message}", "InternalError", null);
        }
        try
        {
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
    /// socket closing ends stdin.
    /// </summary>
    private static async Task ReadClientAsync(WebSocket socket, Pipe? stdin, ChannelWriter<TerminalSize>? resizes, CancellationToken token)
    {
        var buffer = new byte[32 * 1024];
        try
        {
            while (!token.IsCancellationRequested)
            {
                var received = await socket.ReceiveAsync(buffer, token).ConfigureAwait(false);
                if (received.MessageType == WebSocketMessageType.Close || received.Count == 0)
                    break;
                if (buffer[0] == 0 && stdin is not null && received.Count > 1)
                    await stdin.Writer.WriteAsync(buffer.AsMemory(1, received.Count - 1), token).ConfigureAwait(false);
                else if (buffer[0] == 4 && resizes is not null && received.EndOfMessage && ParseResize(buffer.AsSpan(1, received.Count - 1)) is { } size)
                    resizes.TryWrite(size);
                else if (buffer[0] == 255 && received.Count > 1 && buffer[1] == 0)
                    break;
            }
        }
        finally
        {
            resizes?.TryComplete();
            if (stdin is not null)
                await stdin.Writer.CompleteAsync().ConfigureAwait(false);
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
