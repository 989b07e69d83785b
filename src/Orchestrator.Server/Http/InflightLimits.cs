using System.Threading.RateLimiting;
using Orchestrator.Api.Errors;

namespace Orchestrator.Server.Http;

/// <summary>
/// Admission before the store, as kube-apiserver's max-requests-inflight: at most so many mutating and
/// so many read-only requests run on this replica at once; one over the limit is refused at once with
/// 429 and Retry-After, never queued, so overload gives fast refusals instead of seconds of latency.
/// Long-running requests (watches, exec, attach, port-forward, logs, proxy) are not counted: they hold a
/// connection, not the write path; nor are non-resource paths (health, discovery, OpenAPI, metrics).
/// </summary>
public sealed class InflightLimits : IDisposable
{
    private static readonly HashSet<string> LongRunningSubresources = ["exec", "attach", "portforward", "log", "proxy"];

    private readonly ConcurrencyLimiter mutating;
    private readonly ConcurrencyLimiter readOnly;
    private readonly ApiMetrics metrics;

    public InflightLimits(int maxMutating, int maxReadOnly, ApiMetrics metrics)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMutating, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxReadOnly, 1);
        mutating = Limiter(maxMutating);
        readOnly = Limiter(maxReadOnly);
        this.metrics = metrics;
        metrics.ObserveInflight(
            () => maxMutating - (mutating.GetStatistics()?.CurrentAvailablePermits ?? maxMutating),
            () => maxReadOnly - (readOnly.GetStatistics()?.CurrentAvailablePermits ?? maxReadOnly));
    }

    /// <summary>
    /// A lease to hold while the request runs, or null when the request is not counted. Throws 429 when the
    /// request's kind is at its limit.
    /// </summary>
    public RateLimitLease? Admit(string method, RequestInfo? info)
    {
        // Only resource requests are counted: health checks, discovery and metrics must answer on a loaded replica.
        if (info is null || info.Verb == "watch" || info.Subresource is { } sub && LongRunningSubresources.Contains(sub))
            return null;
        var isMutating = method is not ("GET" or "HEAD" or "OPTIONS");
        var lease = (isMutating ? mutating : readOnly).AttemptAcquire();
        if (lease.IsAcquired)
            return lease;
        lease.Dispose();
        metrics.Dropped(isMutating ? "mutating" : "readOnly");
        throw ApiException.TooManyRequests("Too many requests, please try again later.", retryAfterSeconds: 1);
    }

    private static ConcurrencyLimiter Limiter(int permits) => new(new ConcurrencyLimiterOptions
    {
        PermitLimit = permits,
        QueueLimit = 0,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    public void Dispose()
    {
        mutating.Dispose();
        readOnly.Dispose();
    }
}
