namespace Orchestrator.Node.Runtime;

/// <summary>runc could not start the container (bad spec, missing binary in the image, ...); the message is runc's.</summary>
public sealed class ContainerStartException(string containerId, string message)
    : Exception($"container {containerId} failed to start: {message}")
{
    public string ContainerId { get; } = containerId;
}
