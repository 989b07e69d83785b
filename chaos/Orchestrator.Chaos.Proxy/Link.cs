using System.Diagnostics;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Orchestrator.Chaos.Proxy;

/// <summary>
/// One proxied connection: the client's socket, the upstream socket, and a pipe each way that passes chunks through
/// the toxics of its direction. Reading and writing are separate loops joined by a queue, so a latency toxic delays
/// each chunk from when it arrived rather than adding up while data keeps coming.
/// </summary>
internal sealed class Link
{
    private readonly Socket client;
    private readonly Socket upstream;
    private readonly Func<string, IReadOnlyList<Toxic>> toxics;
    private readonly CancellationTokenSource closed = new();
    private int ended;

    public Link(Socket client, Socket upstream, Func<string, IReadOnlyList<Toxic>> toxics)
    {
        this.client = client;
        this.upstream = upstream;
        this.toxics = toxics;
    }

    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>Runs both directions; a direction that reaches the end of its input half-closes, and the link closes when both have.</summary>
    public void Start() =>
        Completion = RunAsync();

    private async Task RunAsync()
    {
        await Task.WhenAll(
            Task.Run(() => PipeAsync(client, upstream, "upstream")),
            Task.Run(() => PipeAsync(upstream, client, "downstream")));
        Close();
    }

    /// <summary>Closes both sockets (FIN, or RST when <paramref name="reset"/>), ending both pipes.</summary>
    public void Close(bool reset = false)
    {
        if (Interlocked.Exchange(ref ended, 1) == 1)
            return;
        closed.Cancel();
        foreach (var socket in new[] { client, upstream })
        {
            try
            {
                if (reset)
                    socket.LingerState = new LingerOption(true, 0);
                socket.Close();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private readonly record struct Chunk(byte[] Data, int Length, long Arrived);

    private async Task PipeAsync(Socket from, Socket to, string stream)
    {
        var queue = Channel.CreateBounded<Chunk>(new BoundedChannelOptions(256) { SingleReader = true, SingleWriter = true });
        var reading = ReadAsync(from, queue.Writer);
        try
        {
            await WriteAsync(to, stream, queue.Reader);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            Close();
        }
        await reading;
    }

    private async Task ReadAsync(Socket from, ChannelWriter<Chunk> queue)
    {
        try
        {
            while (true)
            {
                var buffer = new byte[32 * 1024];
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, closed.Token);
                if (read == 0)
                    break;
                await queue.WriteAsync(new Chunk(buffer, read, Stopwatch.GetTimestamp()), closed.Token);
            }
        }
        catch (SocketException)
        {
            // A reset on one side resets the other (a half-open link would hang its peer).
            Close(reset: true);
        }
        catch (Exception e) when (e is ObjectDisposedException or OperationCanceledException)
        {
        }
        queue.TryComplete();
    }

    /// <summary>
    /// Passes chunks on through the direction's toxics. Whether a toxic applies to this link is drawn once per link
    /// (its toxicity), as Toxiproxy does; timers of timeout and reset_peer run from when this link first saw the toxic.
    /// </summary>
    private async Task WriteAsync(Socket to, string stream, ChannelReader<Chunk> queue)
    {
        var applies = new Dictionary<Toxic, bool>(ReferenceEqualityComparer.Instance);
        var since = new Dictionary<string, long>();
        long passed = 0;
        IReadOnlyList<Toxic>? snapshot = null;
        List<Toxic> active = [];
        while (true)
        {
            // The proxy swaps its snapshot when toxics change; filter it again only then.
            if (!ReferenceEquals(snapshot, snapshot = toxics(stream)))
            {
                active = [.. snapshot.Where(t => Applies(applies, t))];
                foreach (var name in since.Keys.Except(active.Select(t => t.Name)).ToList())
                    since.Remove(name);
            }
            var blackhole = false;
            foreach (var toxic in active.Where(t => t.Type is "timeout" or "reset_peer"))
            {
                var first = since.TryGetValue(toxic.Name, out var at) ? at : since[toxic.Name] = Stopwatch.GetTimestamp();
                var after = toxic.Attribute("timeout");
                var due = Stopwatch.GetElapsedTime(first).TotalMilliseconds >= after;
                if (toxic.Type == "reset_peer" && due)
                {
                    Close(reset: true);
                    return;
                }
                if (toxic.Type == "timeout")
                {
                    if (after > 0 && due)
                    {
                        Close();
                        return;
                    }
                    blackhole = true;
                }
            }

            Chunk chunk;
            using (var tick = CancellationTokenSource.CreateLinkedTokenSource(closed.Token))
            {
                // Toxics with timers (and toxics added or removed) must act on an idle link too: look again every 50 ms.
                tick.CancelAfter(50);
                try
                {
                    if (!await queue.WaitToReadAsync(tick.Token))
                    {
                        await SlowCloseAsync(active);
                        to.Shutdown(SocketShutdown.Send);
                        return;
                    }
                }
                catch (OperationCanceledException) when (!closed.IsCancellationRequested)
                {
                    continue;
                }
                if (!queue.TryRead(out chunk))
                    continue;
            }
            if (blackhole)
                continue;

            var length = chunk.Length;
            foreach (var toxic in active)
            {
                switch (toxic.Type)
                {
                    case "latency":
                        var jitter = toxic.Attribute("jitter");
                        var delay = toxic.Attribute("latency") + (jitter == 0 ? 0 : Random.Shared.NextInt64(-jitter, jitter + 1));
                        var wait = TimeSpan.FromMilliseconds(Math.Max(0, delay)) - Stopwatch.GetElapsedTime(chunk.Arrived);
                        if (wait > TimeSpan.Zero)
                            await Task.Delay(wait, closed.Token);
                        break;
                    case "limit_data":
                        var limit = toxic.Attribute("bytes");
                        if (passed + length >= limit)
                            length = (int)Math.Max(0, limit - passed);
                        break;
                }
            }
            // A chunk at a limited rate leaves when its bytes would have taken that long to arrive (bytes / (KB/s) = ms).
            if (active.FirstOrDefault(t => t.Type == "bandwidth") is { } bandwidth && bandwidth.Attribute("rate") > 0)
                await Task.Delay(TimeSpan.FromMilliseconds(length / (double)bandwidth.Attribute("rate")), closed.Token);
            if (length > 0)
                await to.SendAsync(chunk.Data.AsMemory(0, length), SocketFlags.None, closed.Token);
            passed += length;
            if (active.FirstOrDefault(t => t.Type == "limit_data") is { } limitToxic && passed >= limitToxic.Attribute("bytes"))
            {
                // The direction ends (FIN) and later bytes are dropped; what the other side sends back still arrives.
                to.Shutdown(SocketShutdown.Send);
                return;
            }
        }
    }

    private async Task SlowCloseAsync(IEnumerable<Toxic> active)
    {
        if (active.FirstOrDefault(t => t.Type == "slow_close") is { } slow)
            await Task.Delay(TimeSpan.FromMilliseconds(slow.Attribute("delay")), closed.Token);
    }

    private static bool Applies(Dictionary<Toxic, bool> applies, Toxic toxic)
    {
        if (!applies.TryGetValue(toxic, out var yes))
            applies[toxic] = yes = toxic.Toxicity >= 1 || Random.Shared.NextDouble() < toxic.Toxicity;
        return yes;
    }
}
