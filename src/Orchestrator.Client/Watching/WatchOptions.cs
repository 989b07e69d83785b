namespace Orchestrator.Client.Watching;

/// <summary>Query parameters of a WATCH.</summary>
public sealed record WatchOptions
{
    /// <summary>"" or "0": current state as ADDED first, then changes; N: changes strictly after N.</summary>
    public string? ResourceVersion { get; init; }

    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    /// <summary>Ask for BOOKMARK events, which advance the resourceVersion while nothing matching changes.</summary>
    public bool AllowBookmarks { get; init; }

    /// <summary>The server ends the stream after this long; null: the server's maximum.</summary>
    public int? TimeoutSeconds { get; init; }
}
