using System.Text.Json.Nodes;
using Orchestrator.Storage.Replication;

namespace Orchestrator.Server.Http.Dashboard;

/// <summary>
/// The built-in dashboard every replica serves, as Nomad ships its UI: GET /dashboard is one page (no data in it,
/// anyone may load it) that reads the API with the viewer's own bearer token, and GET /dashboard/replicas the Raft
/// status of every replica (asked of each over the internal port), which RBAC grants like /metrics.
/// </summary>
public sealed class DashboardEndpoint(ReplicatedStore store)
{
    public const string PagePath = "/dashboard";
    public const string ReplicasPath = "/dashboard/replicas";

    private static readonly Lazy<byte[]> Page = new(() =>
    {
        using var stream = typeof(DashboardEndpoint).Assembly.GetManifestResourceStream("Orchestrator.Server.Http.Dashboard.dashboard.html")
            ?? throw new InvalidOperationException("the dashboard page is not embedded");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    public static bool Serves(string path) => path is PagePath or ReplicasPath;

    public async Task ServeAsync(HttpContext context, string path)
    {
        if (path == PagePath)
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "text/html; charset=utf-8";
            // Its own script only, talking to this origin only; never framed.
            context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'";
            context.Response.Headers.XContentTypeOptions = "nosniff";
            await context.Response.Body.WriteAsync(Page.Value, context.RequestAborted);
            return;
        }
        var replicas = new JsonArray();
        foreach (var (member, status) in await store.ClusterStatusAsync(TimeSpan.FromSeconds(2), context.RequestAborted))
        {
            replicas.Add(status is null
                ? new JsonObject { ["member"] = member, ["reachable"] = false }
                : new JsonObject
                {
                    ["member"] = member,
                    ["reachable"] = true,
                    ["isLeader"] = status.IsLeader,
                    ["leader"] = status.Leader,
                    ["term"] = status.Term,
                    ["commitIndex"] = status.CommitIndex,
                    ["appliedIndex"] = status.AppliedIndex,
                    ["snapshotIndex"] = status.SnapshotIndex,
                    ["walFsyncP99Seconds"] = status.WalFsyncP99Seconds,
                });
        }
        await ApiResponses.WriteJsonAsync(context, 200, replicas);
    }
}
