using Orchestrator.Storage.State;

namespace Orchestrator.Storage.Commands;

/// <summary>
/// The outcome of an applied command. <see cref="Revision"/> is the log index of the entry that carried it.
/// <see cref="Current"/> is the record as it stands after the command (for a delete: the record that was
/// deleted; for a failed precondition: the record that made it fail), when known.
/// </summary>
public sealed record CommandResult(CommandOutcome Outcome, long Revision, KeyValue? Current)
{
    public bool Succeeded => Outcome == CommandOutcome.Ok;
}
