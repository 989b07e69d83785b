namespace Orchestrator.Controllers.Runtime;

/// <summary>Tunables of the controllers, with Kubernetes' defaults unless a test or `up` shortens them.</summary>
public sealed record ControllerSettings
{
    /// <summary>How long a node may go without renewing its lease before it turns Ready=Unknown (kube: 40 s).</summary>
    public TimeSpan NodeMonitorGracePeriod { get; init; } = TimeSpan.FromSeconds(40);

    /// <summary>How long pods tolerate an unreachable or not-ready node before eviction (kube: 300 s).</summary>
    public TimeSpan DefaultTolerationSeconds { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>Addresses LoadBalancer services get their ingress IP from.</summary>
    public string LoadBalancerPool { get; init; } = "203.0.113.0/24";

    /// <summary>The cluster CA (PEM) that every namespace's kube-root-ca.crt ConfigMap publishes; null publishes none.</summary>
    public string? RootCaPem { get; init; }

    /// <summary>Parallel workers per controller.</summary>
    public int Workers { get; init; } = 4;
}
