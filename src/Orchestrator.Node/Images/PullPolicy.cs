namespace Orchestrator.Node.Images;

/// <summary>A container's imagePullPolicy.</summary>
public enum PullPolicy
{
    Always,
    IfNotPresent,
    Never,
}
