using System.Net;

namespace Orchestrator.Server.Nodes;

/// <summary>A node agent answered a WebSocket upgrade with an HTTP error (404: no such running container or pod).</summary>
public sealed class AgentRefusedException(HttpStatusCode status, Exception inner)
    : IOException($"the node agent answered {(int)status} {status}", inner)
{
    public HttpStatusCode Status { get; } = status;
}
