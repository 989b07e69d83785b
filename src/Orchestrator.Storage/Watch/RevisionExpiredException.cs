namespace Orchestrator.Storage.Watch;

/// <summary>A watch or read asked for a revision older than what this replica still keeps.</summary>
public sealed class RevisionExpiredException(long requested, long oldestAvailable)
    : Exception($"too old resource version: {requested} ({oldestAvailable})")
{
    public long Requested { get; } = requested;

    /// <summary>The oldest revision a watch may start after.</summary>
    public long OldestAvailable { get; } = oldestAvailable;
}
