namespace Orchestrator.Storage.Replication;

/// <summary>What a replica knows of the cluster right now.</summary>
public sealed record ReplicaStatus(
    string Member,
    string? Leader,
    bool IsLeader,
    long Term,
    long CommitIndex,
    long AppliedIndex,
    long SnapshotIndex,
    IReadOnlyList<string> Members)
{
    /// <summary>p99 of this replica's last WAL flushes, in seconds.</summary>
    public double WalFsyncP99Seconds { get; init; }
}
