using System.Globalization;
using System.IO.Pipelines;
using Orchestrator.Server.Http.Spdy;
using System.Text;

namespace Orchestrator.Server.Http.PortForward;

/// <summary>
/// portforward.k8s.io over SPDY: for every local connection the client opens an error stream and a data stream
/// with the same requestID and port headers. Once both are open the pair is forwarded; a failure is written to the
/// error stream; both end with our FIN.
/// </summary>
internal sealed class SpdyPortForward(Func<PortClient, Task> forward)
{
    private readonly Dictionary<string, (SpdyStream? Data, SpdyStream? Error)> pending = new(StringComparer.Ordinal);

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
        SpdyStream data, error;
        lock (pending)
        {
            pending.TryGetValue(requestId, out var pair);
            pair = type == "data" ? pair with { Data = stream } : pair with { Error = stream };
            if (pair.Data is null || pair.Error is null)
            {
                pending[requestId] = pair;
                return;
            }
            pending.Remove(requestId);
            (data, error) = (pair.Data, pair.Error);
        }
        var valid = int.TryParse(data.Header("port"), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535;
        var client = new SpdyPortClient(port, data, error);
        if (!valid)
        {
            await client.FailAsync($"invalid port header {data.Header("port") ?? "(none)"}: a port between 1 and 65535 is needed", CancellationToken.None).ConfigureAwait(false);
            await client.CloseAsync(CancellationToken.None).ConfigureAwait(false);
            return;
        }
        await forward(client).ConfigureAwait(false);
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
