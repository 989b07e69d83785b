namespace Orchestrator.Storage.Commands;

/// <summary>
/// Log entry types. The numbers are written into the replicated log: append only, never reuse one.
/// </summary>
public enum CommandType : byte
{
    Create = 1,
    Update = 2,
    Delete = 3,
}
