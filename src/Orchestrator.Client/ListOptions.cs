namespace Orchestrator.Client;

/// <summary>Query parameters of a LIST. Null members are not sent.</summary>
public sealed record ListOptions
{
    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    /// <summary>Page size; null or 0 lists everything in one response.</summary>
    public int? Limit { get; init; }

    public string? Continue { get; init; }

    /// <summary>"" or null: linearizable read; "0": any (local) state; N: at least as new as N.</summary>
    public string? ResourceVersion { get; init; }
}
