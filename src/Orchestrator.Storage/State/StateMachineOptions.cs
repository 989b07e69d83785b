using Orchestrator.Storage.Watch;

namespace Orchestrator.Storage.State;

public sealed record StateMachineOptions
{
    public required string DataDirectory { get; init; }

    public FasterOptions Faster { get; init; } = new();

    public WatchWindowOptions Watch { get; init; } = new();

    /// <summary>
    /// Applied entries between snapshots. Each snapshot checkpoints FASTER, dumps the live data and lets
    /// Raft truncate its log; followers behind it get the whole snapshot, so keep it rare.
    /// </summary>
    public long SnapshotEvery { get; init; } = 50_000;

    /// <summary>Log entries a command id is remembered for, to apply a retried command once.</summary>
    public long DedupRetainEntries { get; init; } = 100_000;

    /// <summary>FASTER log bytes beyond which a snapshot also compacts the log.</summary>
    public long CompactAboveBytes { get; init; } = 256L << 20;

    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
