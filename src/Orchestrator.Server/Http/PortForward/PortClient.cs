using System.IO.Pipelines;

namespace Orchestrator.Server.Http.PortForward;

/// <summary>
/// One forwarded connection as the client sees it, whatever the protocol: the client's bytes (ending when it
/// half-closes), a way to send bytes back, to report a failure, and to end it.
/// </summary>
internal abstract class PortClient(int port)
{
    public int Port { get; } = port;

    public abstract PipeReader Input { get; }

    public abstract Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken token);

    public abstract Task FailAsync(string message, CancellationToken token);

    public abstract Task CloseAsync(CancellationToken token);
}
