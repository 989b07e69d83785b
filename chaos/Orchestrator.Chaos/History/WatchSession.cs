namespace Orchestrator.Chaos.History;

/// <summary>One event a watch delivered: ADDED, MODIFIED, DELETED or BOOKMARK, at its resourceVersion.</summary>
public sealed record WatchEvent(string Type, string Key, long Revision, string? Value, long At);

/// <summary>
/// One watch request of a watcher, from the resourceVersion it asked for until it ended (the watcher closed it after
/// its 0-5 s, the server or the network ended it, or it was refused). A watcher's next session starts from the last
/// resourceVersion this one delivered (event or bookmark), or from a fresh list after 410 Gone.
/// </summary>
public sealed record WatchSession
{
    public required int Watcher { get; init; }

    public required int Replica { get; init; }

    /// <summary>The namespace watched: the busy one the other workloads write, or a quiet one (bookmarks only).</summary>
    public required string Namespace { get; init; }

    /// <summary>The resourceVersion asked for.</summary>
    public required long From { get; init; }

    /// <summary>True when From is the last thing the watcher's previous session delivered; false after a list.</summary>
    public required bool Resumed { get; init; }

    public required long Start { get; init; }

    public required long End { get; init; }

    public required IReadOnlyList<WatchEvent> Events { get; init; }

    /// <summary>How it ended when not by the watcher's own choice: "410 Gone", a refusal, a reset.</summary>
    public string? Error { get; init; }
}
