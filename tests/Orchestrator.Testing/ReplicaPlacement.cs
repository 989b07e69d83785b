namespace Orchestrator.Testing;

/// <summary>Where a test replica runs: the address it listens on and what its process is started through.</summary>
public sealed record ReplicaPlacement(string Host, IReadOnlyList<string> Launcher)
{
    public static ReplicaPlacement Loopback { get; } = new("127.0.0.1", []);
}
