using System.Globalization;
using System.Net.Http;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Orchestrator.Client;

namespace Orchestrator.Controllers.Election;

/// <summary>
/// Leader election on a coordination.k8s.io/v1 Lease, as client-go's leaderelection does. Every write
/// to the lease is a compare-and-swap on its resourceVersion; expiry is judged by when this candidate
/// last saw the lease change (its own clock), never by the holder's timestamps, so clock skew between
/// replicas cannot make two leaders.
/// </summary>
public sealed class LeaderElector(KubeClient client, LeaderElectionOptions options, TimeProvider clock, ILogger logger)
{
    private string? observedVersion;
    private DateTimeOffset observedAt;
    private volatile bool leading;

    public bool IsLeader => leading;

    /// <summary>
    /// Runs <paramref name="lead"/> for as long as this candidate holds the lease, and campaigns again
    /// after losing it, until <paramref name="token"/> is cancelled. The token given to
    /// <paramref name="lead"/> is cancelled as soon as a renewal fails past the renew deadline.
    /// </summary>
    public async Task RunAsync(Func<CancellationToken, Task> lead, CancellationToken token)
    {
        options.Validate();
        while (!token.IsCancellationRequested)
        {
            await AcquireAsync(token).ConfigureAwait(false);
            leading = true;
            logger.LogInformation("{Identity} became leader of {Lease}", options.Identity, options.LeaseName);
            using var term = CancellationTokenSource.CreateLinkedTokenSource(token);
            var work = Task.Run(() => lead(term.Token), CancellationToken.None);
            var renewals = RenewAsync(term.Token);
            await Task.WhenAny(work, renewals).ConfigureAwait(false);
            await term.CancelAsync().ConfigureAwait(false);
            leading = false;
            await Settle(work).ConfigureAwait(false);
            await Settle(renewals).ConfigureAwait(false);
            logger.LogInformation("{Identity} stopped leading {Lease}", options.Identity, options.LeaseName);
            if (token.IsCancellationRequested)
                await ReleaseAsync().ConfigureAwait(false);
        }
    }

    private async Task AcquireAsync(CancellationToken token)
    {
        while (true)
        {
            token.ThrowIfCancellationRequested();
            if (await TryAcquireOrRenewAsync(token).ConfigureAwait(false))
                return;
            await Task.Delay(Jitter(options.RetryPeriod), clock, token).ConfigureAwait(false);
        }
    }

    /// <summary>Renews every retry period; returns when the lease is lost or could not be renewed in time.</summary>
    private async Task RenewAsync(CancellationToken token)
    {
        var lastRenewal = clock.GetUtcNow();
        while (!token.IsCancellationRequested)
        {
            await Task.Delay(options.RetryPeriod, clock, token).ConfigureAwait(false);
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(token);
            // A renewal that would finish after the deadline is as good as a failed one.
            attempt.CancelAfter(lastRenewal + options.RenewDeadline - clock.GetUtcNow());
            bool renewed;
            try
            {
                renewed = await TryAcquireOrRenewAsync(attempt.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!token.IsCancellationRequested)
            {
                renewed = false;
            }
            if (renewed)
                lastRenewal = clock.GetUtcNow();
            else if (observedHolder is { } holder && holder != options.Identity)
                return; // someone else holds it now
            if (clock.GetUtcNow() - lastRenewal >= options.RenewDeadline)
            {
                logger.LogWarning("{Identity} could not renew {Lease} within {Deadline}", options.Identity, options.LeaseName, options.RenewDeadline);
                return;
            }
        }
    }

    private string? observedHolder;

    private async Task<bool> TryAcquireOrRenewAsync(CancellationToken token)
    {
        var now = clock.GetUtcNow();
        JsonObject? lease;
        try
        {
            lease = await client.GetAsync(ApiResource.Leases, options.Namespace, options.LeaseName, token).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.Code == 404)
        {
            lease = null;
        }
        catch (Exception e) when (IsTransient(e, token))
        {
            logger.LogDebug("Reading lease {Lease} failed: {Message}", options.LeaseName, e.Message);
            return false;
        }

        if (lease is null)
            return await WriteAsync(null, now, transitions: 0, token).ConfigureAwait(false);

        var spec = lease["spec"] as JsonObject ?? new JsonObject();
        var holder = spec["holderIdentity"]?.GetValue<string>() ?? "";
        var version = lease["metadata"]?["resourceVersion"]?.GetValue<string>();
        if (version != observedVersion)
        {
            observedVersion = version;
            observedAt = now;
        }
        observedHolder = holder;
        var duration = TimeSpan.FromSeconds(spec["leaseDurationSeconds"]?.GetValue<int>() ?? (int)options.LeaseDuration.TotalSeconds);
        var heldByOther = holder.Length > 0 && holder != options.Identity;
        if (heldByOther && observedAt + duration > now)
            return false;
        var transitions = spec["leaseTransitions"]?.GetValue<int>() ?? 0;
        return await WriteAsync(lease, now, holder == options.Identity ? transitions : transitions + 1, token).ConfigureAwait(false);
    }

    private async Task<bool> WriteAsync(JsonObject? current, DateTimeOffset now, int transitions, CancellationToken token)
    {
        var stamp = MicroTime(now);
        var renewing = current?["spec"]?["holderIdentity"]?.GetValue<string>() == options.Identity;
        var spec = new JsonObject
        {
            ["holderIdentity"] = options.Identity,
            ["leaseDurationSeconds"] = (int)options.LeaseDuration.TotalSeconds,
            ["acquireTime"] = renewing ? current!["spec"]!["acquireTime"]?.DeepClone() : stamp,
            ["renewTime"] = stamp,
            ["leaseTransitions"] = transitions,
        };
        try
        {
            JsonObject written;
            if (current is null)
            {
                written = await client.CreateAsync(ApiResource.Leases, options.Namespace, new JsonObject
                {
                    ["apiVersion"] = "coordination.k8s.io/v1",
                    ["kind"] = "Lease",
                    ["metadata"] = new JsonObject { ["name"] = options.LeaseName, ["namespace"] = options.Namespace },
                    ["spec"] = spec,
                }, token: token).ConfigureAwait(false);
            }
            else
            {
                var updated = (JsonObject)current.DeepClone();
                updated["spec"] = spec;
                written = await client.UpdateAsync(ApiResource.Leases, updated, token: token).ConfigureAwait(false);
            }
            observedVersion = written["metadata"]?["resourceVersion"]?.GetValue<string>();
            observedAt = now;
            observedHolder = options.Identity;
            return true;
        }
        catch (KubeApiException e) when (e.Code is 409)
        {
            return false; // someone else wrote first: the next round reads what they wrote
        }
        catch (Exception e) when (IsTransient(e, token))
        {
            logger.LogDebug("Writing lease {Lease} failed: {Message}", options.LeaseName, e.Message);
            return false;
        }
    }

    /// <summary>Gives the lease up on shutdown so the next leader need not wait for it to expire.</summary>
    private async Task ReleaseAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            var lease = await client.GetAsync(ApiResource.Leases, options.Namespace, options.LeaseName, timeout.Token).ConfigureAwait(false);
            if (lease["spec"]?["holderIdentity"]?.GetValue<string>() != options.Identity)
                return;
            lease["spec"]!["holderIdentity"] = "";
            lease["spec"]!["leaseDurationSeconds"] = 1;
            await client.UpdateAsync(ApiResource.Leases, lease, token: timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or OperationCanceledException)
        {
            logger.LogDebug("Releasing lease {Lease} failed: {Message}", options.LeaseName, e.Message);
        }
    }

    private static bool IsTransient(Exception e, CancellationToken token) =>
        e is KubeApiException or HttpRequestException or IOException or TimeoutException or System.Text.Json.JsonException
        || e is OperationCanceledException && !token.IsCancellationRequested;

    private static async Task Settle(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The term is over; what failed in it was logged by whoever ran it.
        }
    }

    private static TimeSpan Jitter(TimeSpan period) => period * (1 + Random.Shared.NextDouble() * 0.2);

    public static string MicroTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
