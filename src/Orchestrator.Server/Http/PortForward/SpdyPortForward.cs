using System.Globalization;
using System.IO.Pipelines;
using Orchestrator.Server.Http.Spdy;
using System.Text;

namespace Orchestrator.Server.Http.PortForward;

/// <summary>
/// portforward.k8s.io over SPDY: for every local connection the client opens an error stream and a data stream
/// with the same requestID and port headers. Once both are open the pair is forwarded; a failure is written to the
/// error stream; both end with our FIN. A stream whose partner does not come within <c>pairTimeout</c> is failed
/// and closed, as kubelet does, so a client cannot pile up half pairs on one connection.
/// </summary>
internal sealed class SpdyPortForward(Func<PortClient, Task> forward, TimeSpan pairTimeout)
{
    /// <summary>How long kubelet waits for the second stream of a pair (its stream creation timeout).</summary>
    public static readonly TimeSpan DefaultPairTimeout = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, Pair> pending = new(StringComparer.Ordinal);

    public async Task OnStreamAsync(SpdyStream stream)
    {
        var type = stream.Header("streamType");
        if (type is not ("data" or "error"))
        {
            await stream.CloseAsync(CancellationToken.None).ConfigureAwait(false);
            return;
        }
        // Clients before kube 1.2 sent no requestID: their error and data streams are consecutive odd ids.
        var requestId = stream.Header("requestID") ?? (type == "error" ? stream.Id : stream.Id - 2).ToString(CultureInfo.InvariantCulture);
        Pair pair;
        lock (pending)
        {
            if (!pending.Remove(requestId, out pair!))
                pair = new Pair();
            if (type == "data")
                pair.Data = stream;
            else
                pair.Error = stream;
            if (pair.Data is null || pair.Error is null)
                pending[requestId] = pair;
        }
        if (pair.Data is null || pair.Error is null)
        {
            await AwaitPartnerAsync(requestId, pair, stream).ConfigureAwait(false);
            return;
        }
        pair.Completed.TrySetResult();
        var data = pair.Data;
        var valid = int.TryParse(data.Header("port"), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535;
        var client = new SpdyPortClient(port, data, pair.Error);
        if (!valid)
        {
            await client.FailAsync($"invalid port header {data.Header("port") ?? "(none)"}: a port between 1 and 65535 is needed", CancellationToken.None).ConfigureAwait(false);
            await client.CloseAsync(CancellationToken.None).ConfigureAwait(false);
            return;
        }
        await forward(client).ConfigureAwait(false);
    }

    /// <summary>The first stream of a pair waits here; the second one's handler forwards the pair.</summary>
    private async Task AwaitPartnerAsync(string requestId, Pair pair, SpdyStream first)
    {
        bool timedOut;
        try
        {
            await pair.Completed.Task.WaitAsync(pairTimeout, first.Aborted).ConfigureAwait(false);
            return;
        }
        catch (TimeoutException)
        {
            timedOut = true;
        }
        catch (OperationCanceledException)
        {
            // Reset by the client, or the connection ended: nothing left to answer.
            timedOut = false;
        }
        lock (pending)
        {
            // The partner may have arrived just as the wait ended: then its handler forwards the pair.
            if (!pending.TryGetValue(requestId, out var current) || current != pair)
                return;
            pending.Remove(requestId);
        }
        if (timedOut && pair.Error is { } error)
            await error.WriteAsync(Encoding.UTF8.GetBytes($"timed out waiting for the data stream of request {requestId}"), CancellationToken.None).ConfigureAwait(false);
        await first.CloseAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private sealed class Pair
    {
        public SpdyStream? Data;
        public SpdyStream? Error;
        public readonly TaskCompletionSource Completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class SpdyPortClient(int port, SpdyStream data, SpdyStream error) : PortClient(port)
    {
        public override PipeReader Input => data.Input;

        public override Task WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken token) => data.WriteAsync(bytes, token);

        public override Task FailAsync(string message, CancellationToken token) => error.WriteAsync(Encoding.UTF8.GetBytes(message), token);

        public override async Task CloseAsync(CancellationToken token)
        {
            await data.CloseAsync(token).ConfigureAwait(false);
            await error.CloseAsync(token).ConfigureAwait(false);
        }
    }
}
