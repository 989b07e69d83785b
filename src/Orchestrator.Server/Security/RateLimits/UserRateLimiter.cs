using System.Globalization;
using Orchestrator.Api.Errors;
using Orchestrator.Server.Http;
using Orchestrator.Storage.Replication;

namespace Orchestrator.Server.Security.RateLimits;

/// <summary>
/// Per-user, per-verb-class request budgets that hold cluster-wide: the counters live on the Raft leader (clock-aligned
/// fixed windows), every replica takes from them, and a replica that cannot reach the leader spends only its share
/// (limit / replicas) locally. Counters are not replicated: a leader change opens the current window afresh, which
/// errs towards letting requests through. Limited responses carry X-RateLimit-Limit, -Remaining and -Reset (unix seconds).
/// </summary>
public sealed class UserRateLimiter(RateLimitPolicy policy, ReplicatedStore store)
{
    public const string LimitHeader = "X-RateLimit-Limit";
    public const string RemainingHeader = "X-RateLimit-Remaining";
    public const string ResetHeader = "X-RateLimit-Reset";

    /// <summary>Counts the request against its user's budget and sets the headers; throws 429 when the budget is spent.</summary>
    public async ValueTask AdmitAsync(HttpContext context, UserInfo user, RequestInfo? info, CancellationToken cancellationToken)
    {
        if (info is null || VerbClasses.Of(info) is not { } verbClass || policy.LimitFor(user, verbClass) is not { } limit)
            return;
        var className = VerbClasses.Name(verbClass);
        var decision = await store.TakeQuotaAsync($"{className}/{user.Name}", limit, policy.Window, cancellationToken);
        var reset = decision.Reset.ToUnixTimeSeconds();
        // Set as the response starts, so that error responses (which clear the headers) carry them too.
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers[LimitHeader] = limit.ToString(CultureInfo.InvariantCulture);
            headers[RemainingHeader] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
            headers[ResetHeader] = reset.ToString(CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        });
        if (decision.Granted)
            return;
        var retryAfter = (int)Math.Max(1, Math.Ceiling((decision.Reset - DateTimeOffset.UtcNow).TotalSeconds));
        throw ApiException.TooManyRequests(
            $"user \"{user.Name}\" has used its {limit} {className} requests per {FormatWindow(policy.Window)}; try again in {retryAfter}s",
            retryAfter);
    }

    private static string FormatWindow(TimeSpan window) =>
        window == TimeSpan.FromMinutes(1) ? "minute" : $"{window.TotalSeconds:0}s";
}
