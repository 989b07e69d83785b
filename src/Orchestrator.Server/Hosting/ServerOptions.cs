using System.Net;

namespace Orchestrator.Server.Hosting;

/// <summary>What `orchestrator server` was asked to run.</summary>
public sealed record ServerOptions
{
    public required string DataDirectory { get; init; }

    public required IPEndPoint RaftEndpoint { get; init; }

    public required IPEndPoint GrpcEndpoint { get; init; }

    /// <summary>Raft endpoints of all replicas (this one included); empty when joining a running cluster.</summary>
    public IReadOnlyList<IPEndPoint> Peers { get; init; } = [];

    public long SnapshotEvery { get; init; } = 50_000;

    public int WatchWindowEvents { get; init; } = 100_000;

    public string LogLevel { get; init; } = "Warning";
}
