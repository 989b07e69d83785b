using System.Text.Json.Nodes;

namespace Orchestrator.Client.Informers;

public enum InformerEventType
{
    Added,
    Updated,
    Deleted,
}

/// <summary>
/// A change of the informer's cache. <see cref="Previous"/> is the cached object an update replaced.
/// For a delete found by a relist (missed while disconnected), <see cref="Object"/> is the last known state.
/// </summary>
public sealed record InformerEvent(InformerEventType Type, JsonObject Object, JsonObject? Previous = null);
