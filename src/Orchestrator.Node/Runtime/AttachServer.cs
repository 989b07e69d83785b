using System.Buffers.Binary;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Orchestrator.Node.Runtime;

/// <summary>
/// The shim's side of `kubectl attach`: listens on the container's attach socket (<see cref="AttachFrames"/>), sends
/// every attached client what the container writes from now on, and passes their input to the container's stdin
/// (when its spec has stdin) and their window sizes to its terminal. Output never waits for a client: one that falls
/// behind by <see cref="ClientBacklog"/> chunks is dropped. With stdinOnce the container's stdin closes when the
/// first client that used it ends its stdin, as kubelet's does.
/// </summary>
internal sealed class AttachServer : IAsyncDisposable
{
    private const int ClientBacklog = 1024;
    private const int SolSocket = 1; // SOL_SOCKET
    private const int PeerCredentials = 17; // SO_PEERCRED: struct ucred { pid, uid, gid }

    private readonly Socket listener;
    private readonly ContainerStdio stdio;
    private readonly Stream? stdin;
    private readonly Action<TerminalSize>? resize;
    private readonly SemaphoreSlim typing = new(1, 1);
    private readonly Lock gate = new();
    private readonly List<Channel<(byte Channel, byte[] Data)>> outputs = [];
    private readonly List<Task> sessions = [];
    private readonly Task accepting;
    private bool stdinClosed;

    private AttachServer(Socket listener, ContainerStdio stdio, Stream? stdin, Action<TerminalSize>? resize)
    {
        this.listener = listener;
        this.stdio = stdio;
        this.stdin = stdin;
        this.resize = resize;
        accepting = AcceptAsync();
    }

    /// <param name="stdin">Where input goes (runc's stdin, or the terminal); null when the container has no stdin.</param>
    /// <param name="resize">Resizes the container's terminal; null without one.</param>
    public static AttachServer Start(string bundleDirectory, ContainerStdio stdio, Stream? stdin, Action<TerminalSize>? resize)
    {
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(AttachFrames.SocketName(bundleDirectory)));
            listener.Listen(16);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
        return new AttachServer(listener, stdio, stdin, resize);
    }

    /// <summary>Sends a chunk of the container's output to every attached client.</summary>
    public void Publish(byte channel, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
            return;
        var copy = data.ToArray();
        lock (gate)
        {
            foreach (var output in outputs)
            {
                if (!output.Writer.TryWrite((channel, copy)))
                    output.Writer.TryComplete(); // Too far behind: this client is let go.
            }
        }
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return; // Disposed: the container is gone.
            }
            if (!IsRoot(client))
            {
                client.Dispose();
                continue;
            }
            var output = Channel.CreateBounded<(byte, byte[])>(new BoundedChannelOptions(ClientBacklog) { SingleReader = true });
            lock (gate)
            {
                outputs.Add(output);
                sessions.RemoveAll(s => s.IsCompleted);
                sessions.Add(ServeAsync(client, output));
            }
        }
    }

    private static bool IsRoot(Socket client)
    {
        Span<byte> credentials = stackalloc byte[12];
        try
        {
            return client.GetRawSocketOption(SolSocket, PeerCredentials, credentials) == 12
                   && BinaryPrimitives.ReadUInt32LittleEndian(credentials[4..]) == 0;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private async Task ServeAsync(Socket client, Channel<(byte Channel, byte[] Data)> output)
    {
        await using var stream = new NetworkStream(client, ownsSocket: true);
        using var done = new CancellationTokenSource();
        var sending = SendAsync(stream, output.Reader, done.Token);
        try
        {
            while (await AttachFrames.ReadAsync(stream, done.Token).ConfigureAwait(false) is var (channel, payload))
            {
                switch (channel)
                {
                    case AttachFrames.Stdin:
                        await TypeAsync(payload).ConfigureAwait(false);
                        break;
                    case AttachFrames.Resize when AttachFrames.ReadResize(payload) is { } size:
                        resize?.Invoke(size);
                        break;
                    case AttachFrames.CloseStdin when stdio.StdinOnce:
                        await CloseStdinAsync().ConfigureAwait(false);
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or SocketException or OperationCanceledException)
        {
            // The client went away or broke the framing: its session ends, the container carries on.
        }
        finally
        {
            lock (gate)
                outputs.Remove(output);
            output.Writer.TryComplete();
            await done.CancelAsync().ConfigureAwait(false);
            await sending.ConfigureAwait(false);
        }
    }

    private static async Task SendAsync(Stream stream, ChannelReader<(byte Channel, byte[] Data)> output, CancellationToken token)
    {
        try
        {
            await foreach (var (channel, data) in output.ReadAllAsync(token).ConfigureAwait(false))
                await AttachFrames.WriteAsync(stream, channel, data, token).ConfigureAwait(false);
            // The container's output ended (or this client was dropped): closing our side tells the client.
            if (stream is NetworkStream network)
                network.Socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private async Task TypeAsync(byte[] data)
    {
        if (stdin is null || data.Length == 0)
            return;
        await typing.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!stdinClosed)
                await stdin.WriteAsync(data).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The container closed its stdin or exited.
        }
        finally
        {
            typing.Release();
        }
    }

    /// <summary>Ends the container's input: a pipe is closed; a terminal has no end of file, so it gets a typed ^D.</summary>
    private async Task CloseStdinAsync()
    {
        if (stdin is null)
            return;
        await typing.WaitAsync().ConfigureAwait(false);
        try
        {
            if (stdinClosed)
                return;
            stdinClosed = true;
            if (stdio.Tty)
                await stdin.WriteAsync(new byte[] { 4 }).ConfigureAwait(false);
            else
                stdin.Close();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
        }
        finally
        {
            typing.Release();
        }
    }

    /// <summary>The container's output has ended: clients get what is queued, then the end of the stream.</summary>
    public async ValueTask DisposeAsync()
    {
        listener.Dispose();
        await accepting.ConfigureAwait(false);
        Task[] running;
        lock (gate)
        {
            foreach (var output in outputs)
                output.Writer.TryComplete();
            running = [.. sessions];
        }
        await Task.WhenAny(Task.WhenAll(running), Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false);
    }
}
