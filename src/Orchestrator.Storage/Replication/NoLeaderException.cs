namespace Orchestrator.Storage.Replication;

/// <summary>No leader could be reached within the configured wait; the caller may retry later.</summary>
public sealed class NoLeaderException(string message, Exception? inner = null) : Exception(message, inner);
