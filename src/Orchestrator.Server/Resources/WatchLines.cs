using Orchestrator.Storage.Watch;

namespace Orchestrator.Server.Resources;

/// <summary>
/// Watch event lines shared by every watcher on this replica: an event is encoded once, not once per watcher
/// (with 1,000 watchers of pods, decoding and re-encoding each event per watcher was the replica's main cost).
/// A ring of the most recent events, indexed by revision, bounds the memory; a watcher far behind re-encodes.
/// </summary>
public sealed class WatchLines
{
    private const int Slots = 4096;
    private readonly Slot?[] ring = new Slot?[Slots];

    /// <summary>The line for <paramref name="change"/> as <paramref name="type"/>, plain JSON.</summary>
    public byte[] Line(WatchEvent change, string type)
    {
        var index = (int)(change.Revision % Slots);
        var slot = Volatile.Read(ref ring[index]);
        if (slot is not null && ReferenceEquals(slot.Event, change) && slot.Type == type)
            return slot.Line;
        var line = StoredJson.WatchLine(type, StoredJson.WithResourceVersion(change.Value, change.Revision));
        // Racing watchers may both encode the same event; either result is the same bytes.
        Volatile.Write(ref ring[index], new Slot(change, type, line));
        return line;
    }

    /// <summary>The type every unfiltered watcher sees for a change.</summary>
    public static string TypeOf(WatchEvent change) =>
        change.Type == WatchEventType.Delete ? "DELETED" : change.PrevValue is null ? "ADDED" : "MODIFIED";

    private sealed record Slot(WatchEvent Event, string Type, byte[] Line);
}
