namespace Orchestrator.Storage.Watch;

public enum WatchEventType : byte
{
    Put = 1,
    Delete = 2,
}

/// <summary>
/// A committed change. For a delete, <see cref="Value"/> is the value that was deleted. <see cref="PrevValue"/>
/// is the value before the change (null on create), so a filtered watch can tell "stopped matching".
/// </summary>
public sealed record WatchEvent(
    long Revision,
    WatchEventType Type,
    string Key,
    byte[] Value,
    long CreateRevision,
    byte[]? PrevValue)
{
    public bool IsCreate => Type == WatchEventType.Put && CreateRevision == Revision;
}
