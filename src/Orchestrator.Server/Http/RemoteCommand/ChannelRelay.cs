using System.Net.WebSockets;

namespace Orchestrator.Server.Http.RemoteCommand;

/// <summary>
/// Relays one exec or attach session between the client's WebSocket (in <paramref name="protocol"/>) and the node
/// agent's (v5), a whole message at a time, until either side ends it.
/// </summary>
internal sealed class ChannelRelay(WebSocket client, WebSocket agent, ChannelProtocol protocol)
{
    /// <summary>Larger messages end the session: no client or agent writes them (the agent sends 32 KiB at most).</summary>
    private const int MaxMessage = 4 * 1024 * 1024;

    private readonly SemaphoreSlim toClient = new(1, 1);

    /// <param name="openingChannel">The lowest channel the session writes, which gets the opening empty message.</param>
    public async Task RunAsync(byte openingChannel, CancellationToken token)
    {
        using var done = CancellationTokenSource.CreateLinkedTokenSource(token);
        var (opening, type) = protocol.Opening(openingChannel);
        await SendToClientAsync(opening, type, done.Token);
        var toAgent = RelayAsync(client, data => protocol.FromClient(data.Span, data.Type) is { } message ? agent.SendAsync(message, WebSocketMessageType.Binary, true, done.Token) : Task.CompletedTask, done.Token);
        var fromAgent = RelayAsync(agent, data => protocol.ToClient(data.Span) is var (message, messageType) ? SendToClientAsync(message, messageType, done.Token) : Task.CompletedTask, done.Token);
        // Whoever closes first, the other side is told with a close of its own and given a moment to answer.
        // Cancelling a pending receive would abort the socket (a reset instead of a clean end), so that is last.
        if (await Task.WhenAny(toAgent, fromAgent) == fromAgent)
        {
            await CloseOutputQuietlyAsync(agent);
            await CloseOutputQuietlyAsync(client);
            await Task.WhenAny(toAgent, Task.Delay(TimeSpan.FromSeconds(5), token));
        }
        else
        {
            await CloseOutputQuietlyAsync(agent);
            await Task.WhenAny(fromAgent, Task.Delay(TimeSpan.FromSeconds(5), token));
            await CloseOutputQuietlyAsync(client);
        }
        await done.CancelAsync();
    }

    private async Task SendToClientAsync(byte[] message, WebSocketMessageType type, CancellationToken token)
    {
        await toClient.WaitAsync(token);
        try
        {
            await client.SendAsync(message, type, endOfMessage: true, token);
        }
        finally
        {
            toClient.Release();
        }
    }

    private readonly record struct Message(ReadOnlyMemory<byte> Memory, WebSocketMessageType Type)
    {
        public ReadOnlySpan<byte> Span => Memory.Span;
    }

    private static async Task RelayAsync(WebSocket from, Func<Message, Task> forward, CancellationToken token)
    {
        var reader = new WebSocketMessageReader(from, MaxMessage);
        try
        {
            while (!token.IsCancellationRequested && await reader.ReadAsync(token) is var (data, type))
                await forward(new Message(data, type));
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // One side went away: the session is over.
        }
    }

    private static async Task CloseOutputQuietlyAsync(WebSocket socket)
    {
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }
}
