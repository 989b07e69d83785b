namespace Orchestrator.Storage.Commands;

/// <summary>What the state machine decided for a command; identical on every replica.</summary>
public enum CommandOutcome : byte
{
    Ok = 0,
    AlreadyExists = 1,
    Conflict = 2,
    NotFound = 3,
}
