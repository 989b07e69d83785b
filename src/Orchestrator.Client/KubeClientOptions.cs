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

    /// <summary>
    /// Ordinary requests (not watches) this client has in flight at most; more wait for a slot. 0 = no bound.
    /// A controller that fans out (a status write per pod) then holds its load to what the server answers, instead
    /// of opening a new HTTP/2 connection, with its TLS handshake, for every 100 requests waiting on a busy server.
    /// </summary>
    public int MaxConcurrentRequests { get; init; }

    /// <summary>
    /// When the server cannot be reached, send to the kubeconfig's other replicas (<see cref="Config.Kubeconfig.OtherServers"/>)
    /// instead, and stay with the one that answers: a node agent outlives the loss of the replica it talked to.
    /// </summary>
    public bool FailOver { get; init; }
}
