using System.Net.Sockets;
using System.Threading.Channels;

namespace Orchestrator.Node.Runtime;

public sealed partial class RuncRuntime
{
    /// <summary>
    /// Attaches to a running container's main process through its shim (`kubectl attach`): what the container writes
    /// from now on goes to <paramref name="stdout"/> (and <paramref name="stderr"/>; on a terminal everything is
    /// stdout), <paramref name="stdin"/> is typed into it when its spec has stdin, and its end is passed on (with
    /// stdinOnce that closes the container's stdin). Returns when the container's output ends or on cancellation
    /// (the client went away), after passing on the end of stdin.
    /// </summary>
    /// <exception cref="InvalidOperationException">The container is not running or its shim does not answer.</exception>
    public async Task AttachAsync(string containerId, Stream? stdin, Stream stdout, Stream stderr, ChannelReader<TerminalSize>? resizes, CancellationToken cancellationToken)
    {
        var container = Get(containerId);
        if (container.Exited.IsCompleted)
            throw new InvalidOperationException($"container {containerId} is not running");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(AttachFrames.SocketName(container.BundleDirectory)), cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw new InvalidOperationException($"container {containerId} cannot be attached to: {e.Message}", e);
        }
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        using var writing = new SemaphoreSlim(1, 1);
        // Input outlives a cancelled session briefly: the end of stdin must still reach the shim.
        using var inputDone = new CancellationTokenSource();
        var typing = SendInputAsync(stream, stdin, writing, inputDone.Token);
        var resizing = SendResizesAsync(stream, resizes, writing, inputDone.Token);
        try
        {
            while (await AttachFrames.ReadAsync(stream, cancellationToken).ConfigureAwait(false) is var (channel, payload))
                await (channel == AttachFrames.Stderr ? stderr : stdout).WriteAsync(payload, cancellationToken).ConfigureAwait(false);
            // The container's output ended: nothing is left to type into.
            await inputDone.CancelAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or SocketException)
        {
            await inputDone.CancelAsync().ConfigureAwait(false);
        }
        finally
        {
            inputDone.CancelAfter(TimeSpan.FromSeconds(2));
            await Task.WhenAll(typing, resizing).ConfigureAwait(false);
        }
    }

    private static async Task SendInputAsync(Stream shim, Stream? stdin, SemaphoreSlim writing, CancellationToken token)
    {
        if (stdin is null)
            return;
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await stdin.ReadAsync(buffer, token).ConfigureAwait(false)) > 0)
                await SendFrameAsync(shim, AttachFrames.Stdin, buffer.AsMemory(0, read), writing, token).ConfigureAwait(false);
            await SendFrameAsync(shim, AttachFrames.CloseStdin, ReadOnlyMemory<byte>.Empty, writing, token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The container's output ended or the shim went away.
        }
    }

    private static async Task SendResizesAsync(Stream shim, ChannelReader<TerminalSize>? resizes, SemaphoreSlim writing, CancellationToken token)
    {
        if (resizes is null)
            return;
        try
        {
            await foreach (var size in resizes.ReadAllAsync(token).ConfigureAwait(false))
                await SendFrameAsync(shim, AttachFrames.Resize, AttachFrames.ResizePayload(size), writing, token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private static async Task SendFrameAsync(Stream shim, byte channel, ReadOnlyMemory<byte> payload, SemaphoreSlim writing, CancellationToken token)
    {
        await writing.WaitAsync(token).ConfigureAwait(false);
        try
        {
            await AttachFrames.WriteAsync(shim, channel, payload, token).ConfigureAwait(false);
        }
        finally
        {
            writing.Release();
        }
    }
}
