namespace Orchestrator.Chaos.Proxy;

/// <summary>A refused API request, answered as Toxiproxy does: {"error": message, "status": code}.</summary>
public sealed class ProxyApiException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}
