namespace Orchestrator.Client.Informers;

public sealed record InformerOptions
{
    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    /// <summary>
    /// Each watch asks the server to end it after a random time between this and twice this, so that
    /// many informers do not reconnect in lockstep (client-go uses 5-10 minutes).
    /// </summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>LIST page size for (re)lists; 0 lists in one response.</summary>
    public int PageSize { get; init; }

    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
