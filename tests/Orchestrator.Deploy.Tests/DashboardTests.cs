using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Orchestrator.Testing;

namespace Orchestrator.Deploy.Tests;

/// <summary>
/// The dashboard every replica serves, loaded in Debian's headless Chromium with a bearer token: it shows every
/// replica (one leader), the nodes and the deployments, each page read from a different replica. /dashboard/replicas
/// itself is for those RBAC lets read it.
/// </summary>
public sealed partial class DashboardTests : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private const string AdminToken = "dashboard-admin-token";
    private const string ViewerToken = "dashboard-nobody-token";

    private readonly string folder = Directory.CreateTempSubdirectory("orchestrator-dashboard-").FullName;
    private ApiCluster cluster = null!;

    public async Task InitializeAsync()
    {
        var tokens = Path.Combine(folder, "tokens.csv");
        await File.WriteAllTextAsync(tokens, $"{AdminToken},dash-admin,1,\"system:masters\"\n{ViewerToken},dash-nobody,2\n");
        cluster = await ApiCluster.StartAsync(3, serverArgs: ["--token-auth-file", tokens]);
    }

    public async Task DisposeAsync()
    {
        await cluster.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task ShowsReplicasNodesAndWorkloadsInABrowserOnEveryReplica()
    {
        Assert.True(File.Exists(Chromium), "chromium is missing: apt-get install chromium");
        using var admin = cluster.CreateHttpClient(cluster.Replicas[0]);
        using (var node = await admin.PostAsJsonAsync("/api/v1/nodes", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "dash-node" } }))
            Assert.Equal(HttpStatusCode.Created, node.StatusCode);
        using (var deployment = await admin.PostAsJsonAsync("/apis/apps/v1/namespaces/default/deployments", TestDeployments.Busybox("dash-web", 2)))
            Assert.Equal(HttpStatusCode.Created, deployment.StatusCode);

        foreach (var replica in cluster.Replicas)
        {
            // Nodes keep coming (through another replica) while the page is open: some reach it as watch events.
            using var loaded = new CancellationTokenSource();
            using var other = cluster.CreateHttpClient(cluster.Replicas[replica.Ordinal % cluster.Replicas.Count]);
            var creating = CreateNodesUntilAsync(other, $"late-{replica.Ordinal}", loaded.Token);
            var dom = await DumpDomAsync($"https://{replica.ApiEndpoint}/dashboard#token={AdminToken}");
            await loaded.CancelAsync();
            await creating;
            var what = $"replica {replica.Ordinal}:\n{dom}";
            Assert.Equal(3, ReplicaRow().Matches(dom).Count);
            Assert.Single(LeaderRow().Matches(dom));
            Assert.Contains("data-node=\"dash-node\"", dom, StringComparison.Ordinal);
            Assert.Contains("data-deployment=\"default/dash-web\"", dom, StringComparison.Ordinal);
            Assert.DoesNotContain("data-role=\"unreachable\"", dom, StringComparison.Ordinal);
            foreach (var member in cluster.Replicas)
                Assert.True(dom.Contains($"data-replica=\"{member.RaftEndpoint}\"", StringComparison.Ordinal), what);
            Assert.True(Regex.IsMatch(dom, $"data-node=\"late-{replica.Ordinal}-\\d+\" data-ready=\"[^\"]*\" data-via=\"watch\""), "no node arrived by watch: " + what);
        }
    }

    private static async Task CreateNodesUntilAsync(HttpClient client, string prefix, CancellationToken stop)
    {
        for (var i = 0; !stop.IsCancellationRequested && i < 200; i++)
        {
            using (var created = await client.PostAsJsonAsync("/api/v1/nodes", new JsonObject { ["metadata"] = new JsonObject { ["name"] = $"{prefix}-{i}" } }, CancellationToken.None))
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            try
            {
                await Task.Delay(150, stop);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    [Fact]
    public async Task ThePageIsForAnyoneAndTheReplicaStatusForThoseRbacAllows()
    {
        var replica = cluster.Replicas[1];
        using var anonymous = cluster.CreateHttpClient(replica, (System.Security.Cryptography.X509Certificates.X509Certificate2?)null, null);
        using (var page = await anonymous.GetAsync("/dashboard"))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            Assert.Contains("frame-ancestors 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        }
        using (var replicas = await anonymous.GetAsync("/dashboard/replicas"))
            Assert.Equal(HttpStatusCode.Unauthorized, replicas.StatusCode);
        using var nobody = cluster.CreateHttpClient(replica, (System.Security.Cryptography.X509Certificates.X509Certificate2?)null, ViewerToken);
        using (var replicas = await nobody.GetAsync("/dashboard/replicas"))
            Assert.Equal(HttpStatusCode.Forbidden, replicas.StatusCode);
        using var monitoring = cluster.CreateHttpClient(replica, "prometheus", ["system:monitoring"]);
        var status = (await monitoring.GetFromJsonAsync<JsonArray>("/dashboard/replicas"))!;
        Assert.Equal(3, status.Count);
        Assert.Single(status, r => (bool?)r!["isLeader"] == true);
        Assert.All(status, r => Assert.True((bool?)r!["reachable"] == true && (long?)r["appliedIndex"] > 0, r!.ToJsonString()));
    }

    private async Task<string> DumpDomAsync(string url)
    {
        var info = new ProcessStartInfo(Chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Root needs --no-sandbox; the cluster's CA is not the system's, hence --ignore-certificate-errors. The page
        // keeps its watches open, so the DOM is dumped when the virtual-time budget (its timers run fast) is spent.
        foreach (var arg in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--ignore-certificate-errors", $"--user-data-dir={Path.Combine(folder, "profile-" + Guid.NewGuid().ToString("N"))}",
                     "--virtual-time-budget=30000", "--dump-dom", url })
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
        var dom = await output;
        Assert.True(dom.Contains("<tbody id=\"replicas\">", StringComparison.Ordinal), $"chromium exit {process.ExitCode}: {await error}\n{dom}");
        return dom;
    }

    [GeneratedRegex("data-replica=\"")]
    private static partial Regex ReplicaRow();

    [GeneratedRegex("data-role=\"leader\"")]
    private static partial Regex LeaderRow();
}
