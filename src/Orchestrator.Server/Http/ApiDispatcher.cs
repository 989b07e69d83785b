using System.Diagnostics;
using Grpc.Core;
using Orchestrator.Api.Errors;
using Orchestrator.Api.Registry;
using Orchestrator.Api.Schema;
using Orchestrator.Server.Discovery;
using Orchestrator.Server.Nodes;
using Orchestrator.Server.Resources;
using Orchestrator.Server.Http.Rest;
using Orchestrator.Storage.Replication;

namespace Orchestrator.Server.Http;

/// <summary>
/// The API server's one entry point: non-resource paths (version, discovery, OpenAPI, health), then
/// resource paths to the generic handler. Every failure leaves as a Status; nothing leaves as a bare 500.
/// </summary>
public sealed class ApiDispatcher(
    ResourceRegistry registry,
    ResourceHandler resources,
    OpenApiEndpoint openApi,
    ReplicatedStore store,
    MetricsEndpoint metricsApi,
    ApiMetrics metrics,
    InflightLimits inflight,
    CustomResources.CustomResourceRegistrar customResources,
    Security.RequestGate gate,
    Rest.ReviewRest reviews,
    Security.Authentication.ServiceAccountTokens serviceAccountTokens,
    Hosting.Bootstrap bootstrap,
    Dashboard.DashboardEndpoint dashboard,
    ILogger<ApiDispatcher> logger)
{
    public static readonly System.Text.Json.Nodes.JsonObject Version = new()
    {
        ["major"] = "1",
        ["minor"] = "32",
        ["gitVersion"] = "v1.32.4",
        ["gitCommit"] = "orchestrator",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2026-11-27T00:00:00Z",
        ["goVersion"] = "dotnet10",
        ["compiler"] = "roslyn",
        ["platform"] = "linux/amd64",
    };

    /// <param name="next">The rest of the API port's pipeline (the Prometheus endpoint at /metrics), after admission.</param>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var started = Stopwatch.GetTimestamp();
        var path = context.Request.Path.Value ?? "/";
        RequestInfo? info = null;
        System.Threading.RateLimiting.RateLimitLease? admitted = null;
        try
        {
            info = RequestInfo.Parse(context.Request.Method, path, Resources.QueryValues.Bool("watch", context.Request.Query["watch"].ToString()));
            if (info?.Verb == "watch")
                metrics.WatchStarted();
            admitted = inflight.Admit(context.Request.Method, info);
            var user = await gate.AdmitAsync(context, info, context.RequestAborted);
            if (info is not null && Rest.ReviewRest.Serves(info))
            {
                await reviews.HandleAsync(context, info, user);
                return;
            }
            if (info is null && path == "/metrics" && context.Request.Method is "GET" or "HEAD")
                await next(context);
            else
                await DispatchAsync(context, path, info);
        }
        catch (ApiException e)
        {
            await TryWriteStatusAsync(context, e);
        }
        catch (NoLeaderException e)
        {
            await TryWriteStatusAsync(context, ApiException.ServiceUnavailable($"the cluster has no leader: {e.Message}", retryAfterSeconds: 1));
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.FailedPrecondition)
        {
            await TryWriteStatusAsync(context, ApiException.ServiceUnavailable($"the leader could not be reached: {e.Status.Detail}", retryAfterSeconds: 1));
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (OperationCanceledException e)
        {
            // A deadline inside (store, forwarding) ran out: the request may be retried.
            await TryWriteStatusAsync(context, ApiException.Timeout($"the request did not finish in time: {e.Message}", retryAfterSeconds: 1));
        }
        catch (Exception e)
        {
            logger.LogError(e, "Unhandled error for {Method} {Path}", context.Request.Method, path);
            await TryWriteStatusAsync(context, ApiException.InternalError(e.Message));
        }
        finally
        {
            admitted?.Dispose();
            if (info?.Verb == "watch")
                metrics.WatchEnded();
            if (context.Items.TryGetValue(typeof(Security.UserInfo), out var user) && user is Security.UserInfo caller)
                metrics.RecordUser(caller.Name, info?.Verb ?? context.Request.Method.ToLowerInvariant());
            var resource = info is null ? "" : info.Subresource is null ? info.Resource : $"{info.Resource}/{info.Subresource}";
            metrics.Record(info?.Verb ?? context.Request.Method.ToLowerInvariant(), resource, context.Response.StatusCode, Stopwatch.GetElapsedTime(started));
        }
    }

    private async Task DispatchAsync(HttpContext context, string path, RequestInfo? info)
    {
        var snapshot = registry.Snapshot;
        if (info is not null)
        {
            // Not stored: served from the node agents (registered in the registry for discovery only).
            if (info.Group == BuiltInResources.MetricsGroup)
            {
                await metricsApi.HandleAsync(context, info);
                return;
            }
            var resource = snapshot.Find(info.Group, info.Version, info.Resource);
            if (resource is null)
            {
                // A CRD committed through another replica may not be served here yet: catch up once, then decide.
                await customResources.EnsureCurrentAsync(context.RequestAborted);
                resource = registry.Snapshot.Find(info.Group, info.Version, info.Resource) ?? throw NotFound();
            }
            await resources.HandleAsync(context, info, resource);
            return;
        }
        var trimmed = path.TrimEnd('/');
        if (context.Request.Method is not ("GET" or "HEAD"))
            throw NotFound();
        if (trimmed.StartsWith("/api", StringComparison.Ordinal) || trimmed.StartsWith("/openapi/", StringComparison.Ordinal))
        {
            // Discovery answers with every CRD committed so far, wherever it was written.
            await customResources.EnsureCurrentAsync(context.RequestAborted);
            snapshot = registry.Snapshot;
        }
        if (Dashboard.DashboardEndpoint.Serves(trimmed))
        {
            await dashboard.ServeAsync(context, trimmed);
            return;
        }
        switch (trimmed)
        {
            case "/version":
                await ApiResponses.WriteJsonAsync(context, 200, Version.DeepClone());
                return;
            case "/.well-known/openid-configuration":
                // Service-account token issuer discovery, so others can verify the cluster's tokens (kube's
                // ServiceAccountIssuerDiscovery; RBAC role system:service-account-issuer-discovery).
                await ApiResponses.WriteJsonAsync(context, 200, serviceAccountTokens.Discovery($"https://{context.Request.Host}/openid/v1/jwks"));
                return;
            case "/openid/v1/jwks":
                await ApiResponses.WriteJsonAsync(context, 200, serviceAccountTokens.Jwks(), "application/jwk-set+json");
                return;
            case "/healthz" or "/livez":
                await WriteTextAsync(context, 200, "ok");
                return;
            case "/readyz":
                await ReadyAsync(context);
                return;
            case "/api":
                if (DiscoveryDocuments.WantsAggregated(context.Request))
                    await ApiResponses.WriteJsonAsync(context, 200, DiscoveryDocuments.Aggregated(snapshot, legacy: true), DiscoveryDocuments.AggregatedContentType);
                else
                    await ApiResponses.WriteJsonAsync(context, 200, DiscoveryDocuments.Versions($"{context.Request.Host}"));
                return;
            case "/apis":
                if (DiscoveryDocuments.WantsAggregated(context.Request))
                    await ApiResponses.WriteJsonAsync(context, 200, DiscoveryDocuments.Aggregated(snapshot, legacy: false), DiscoveryDocuments.AggregatedContentType);
                else
                    await ApiResponses.WriteJsonAsync(context, 200, DiscoveryDocuments.Groups(snapshot));
                return;
        }
        if (trimmed.StartsWith("/openapi/", StringComparison.Ordinal))
        {
            await openApi.ServeAsync(context, trimmed, snapshot);
            return;
        }
        var parts = trimmed.Trim('/').Split('/');
        var groupVersion = parts switch
        {
            ["api", var v] => new GroupVersion("", v),
            ["apis", var g, var v] => new GroupVersion(g, v),
            _ => (GroupVersion?)null,
        };
        if (groupVersion is { } gv && DiscoveryDocuments.ResourceList(snapshot, gv) is { } list)
        {
            await ApiResponses.WriteJsonAsync(context, 200, list);
            return;
        }
        if (parts is ["apis", var group] && DiscoveryDocuments.GroupOrNull(snapshot, group) is { } groupDocument)
        {
            await ApiResponses.WriteJsonAsync(context, 200, groupDocument);
            return;
        }
        throw NotFound();
    }

    private async Task ReadyAsync(HttpContext context)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        deadline.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            // A read barrier succeeds only with a leader and once this replica applied what it had committed.
            await store.ReadBarrierAsync(deadline.Token);
            if (bootstrap.Completed)
                await WriteTextAsync(context, 200, "[+]store ok\n[+]poststarthook/bootstrap-objects ok\nreadyz check passed");
            else
                await WriteTextAsync(context, 503, "[+]store ok\n[-]poststarthook/bootstrap-objects failed: not finished\nreadyz check failed");
        }
        catch (Exception e) when (e is NoLeaderException or OperationCanceledException && !context.RequestAborted.IsCancellationRequested)
        {
            await WriteTextAsync(context, 503, "[-]store failed: no leader or not caught up\nreadyz check failed");
        }
    }

    private static async Task WriteTextAsync(HttpContext context, int code, string text)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(text, context.RequestAborted);
    }

    private static ApiException NotFound() =>
        new(Api.Errors.Status.Failed(404, StatusReasons.NotFound, "the server could not find the requested resource"));

    private async Task TryWriteStatusAsync(HttpContext context, ApiException error)
    {
        if (context.Response.HasStarted)
        {
            logger.LogDebug("Error after the response started: {Message}", error.Message);
            return;
        }
        context.Response.Clear();
        await ApiResponses.WriteStatusAsync(context, error);
    }
}
