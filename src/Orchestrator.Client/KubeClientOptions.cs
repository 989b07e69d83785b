namespace Orchestrator.Client;

public sealed record KubeClientOptions
{
    /// <summary>Deadline of one non-watch request (each retry gets a fresh one).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many times a 429 or 503 carrying Retry-After is retried before it is thrown.</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>Upper bound on one Retry-After wait, so a confused server cannot park a caller.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Sent as Authorization: Bearer when set.</summary>
    public string? BearerToken { get; init; }

    public string UserAgent { get; init; } = "orchestrator-client/1.0";

    public string DefaultNamespace { get; init; } = "default";

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
