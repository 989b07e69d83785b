namespace Orchestrator.Storage.State;

/// <summary>A stored record. Revisions are Raft log indexes, so they are identical on every replica.</summary>
public sealed record KeyValue(string Key, byte[] Value, long CreateRevision, long ModRevision);
