using System.Net;

namespace Orchestrator.Server.Hosting;

/// <summary>What `orchestrator server` was asked to run.</summary>
public sealed record ServerOptions
{
    public required string DataDirectory { get; init; }

    public required IPEndPoint RaftEndpoint { get; init; }

    public required IPEndPoint GrpcEndpoint { get; init; }

    /// <summary>The public HTTPS endpoint of the Kubernetes API.</summary>
    public required IPEndPoint ApiEndpoint { get; init; }

    /// <summary>Where the cluster CA lives (ca.crt, ca.key); made on first start when absent.</summary>
    public required string PkiDirectory { get; init; }

    /// <summary>kube's --token-auth-file: static bearer tokens (CSV), or null for none.</summary>
    public string? TokenAuthFile { get; init; }

    /// <summary>OpenID Connect ID tokens accepted as bearer tokens, or null for none.</summary>
    public Security.Authentication.OidcOptions? Oidc { get; init; }

    /// <summary>kube's --authentication-token-webhook-config-file (kubeconfig format), or null for no token webhook.</summary>
    public string? TokenWebhookConfig { get; init; }

    /// <summary>How long a webhook's yes is cached.</summary>
    public TimeSpan TokenWebhookCacheTtl { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Per-user rate limits (YAML) over the built-in ones, or null for the built-in ones alone.</summary>
    public string? RateLimitConfig { get; init; }

    /// <summary>Broken on purpose for the chaos suite: reads skip the read barrier (see ReplicaOptions.UnsafeLocalReads).</summary>
    public bool UnsafeLocalReads { get; init; }

    /// <summary>EncryptionConfiguration file; null stores every value as it is.</summary>
    public string? EncryptionConfig { get; init; }

    /// <summary>Audit log file ("-" for standard output); null writes no audit log.</summary>
    public string? AuditLogPath { get; init; }

    /// <summary>The range cluster IPs of services come from.</summary>
    public string ServiceCidr { get; init; } = "10.96.0.0/12";

    /// <summary>Raft endpoints of all replicas (this one included); empty when joining a running cluster.</summary>
    public IReadOnlyList<IPEndPoint> Peers { get; init; } = [];

    public long SnapshotEvery { get; init; } = 50_000;

    public int WatchWindowEvents { get; init; } = 100_000;

    public string LogLevel { get; init; } = "Warning";

    /// <summary>Replication rounds the leader queues per follower before it leaves a slow one out of a round.</summary>
    public int MaxReplicationLag { get; init; } = 16;

    /// <summary>Mutating requests this replica runs at once before it answers 429 (kube's --max-mutating-requests-inflight).</summary>
    public int MaxMutatingRequestsInflight { get; init; } = 200;

    /// <summary>Read-only requests this replica runs at once before it answers 429 (kube's --max-requests-inflight).</summary>
    public int MaxRequestsInflight { get; init; } = 400;

    /// <summary>Whether this replica hosts the controller manager (and campaigns for its lease).</summary>
    public bool RunControllers { get; init; } = true;

    /// <summary>Leader election of the controller manager and scheduler (kube-controller-manager's defaults).</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a replica's identity lease lasts without renewal (renewed every third of it): a stopped replica leaves
    /// the kubernetes Endpoints within this plus one renewal. kube-apiserver's endpoint leases live 15 s.
    /// </summary>
    public TimeSpan ApiServerLeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The address put in the kubernetes Endpoints; null: the API listen address, or a host address when that is a wildcard.</summary>
    public IPAddress? AdvertiseAddress { get; init; }

    public Controllers.Runtime.ControllerSettings Controllers { get; init; } = new();
}
