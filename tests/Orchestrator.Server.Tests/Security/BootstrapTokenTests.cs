using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Orchestrator.Server.Security.Joining;
using Orchestrator.Testing;

namespace Orchestrator.Server.Tests.Security;

/// <summary>
/// Bootstrap tokens (kube's bootstrap.kubernetes.io/token Secrets) authenticate as system:bootstrap:ID while valid, and
/// kube-public/cluster-info is readable without a credential once RBAC allows it: what `orchestrator join` relies on.
/// </summary>
public sealed class BootstrapTokenTests : IAsyncLifetime
{
    private ApiCluster cluster = null!;
    private HttpClient admin = null!;

    public async Task InitializeAsync()
    {
        cluster = await ApiCluster.StartAsync(1);
        admin = cluster.CreateHttpClient(cluster.Replicas[0]);
    }

    public async Task DisposeAsync()
    {
        admin?.Dispose();
        await cluster.DisposeAsync();
    }

    [Fact]
    public async Task AValidTokenAuthenticatesAsItsBootstrapUser()
    {
        var token = BootstrapToken.Generate();
        await CreateAsync("/api/v1/namespaces/kube-system/secrets", token.ToSecret(DateTimeOffset.UtcNow.AddHours(1), "test"));
        var (code, review) = await WhoAmIAsync(token.ToString());
        Assert.Equal(HttpStatusCode.Created, code);
        Assert.Equal(token.UserName, (string?)review!["status"]!["userInfo"]!["username"]);
        var groups = review["status"]!["userInfo"]!["groups"]!.AsArray().Select(g => (string?)g).ToList();
        Assert.Contains("system:bootstrappers", groups);
        Assert.Contains("system:authenticated", groups);
    }

    [Fact]
    public async Task WrongExpiredUnknownOrNonAuthenticatingTokensGet401()
    {
        var good = BootstrapToken.Generate();
        await CreateAsync("/api/v1/namespaces/kube-system/secrets", good.ToSecret(DateTimeOffset.UtcNow.AddHours(1), "test"));
        var expired = BootstrapToken.Generate();
        await CreateAsync("/api/v1/namespaces/kube-system/secrets", expired.ToSecret(DateTimeOffset.UtcNow.AddSeconds(-5), "test"));
        var notForAuthentication = BootstrapToken.Generate();
        var secret = notForAuthentication.ToSecret(DateTimeOffset.UtcNow.AddHours(1), "test");
        secret["stringData"]!.AsObject().Remove("usage-bootstrap-authentication");
        await CreateAsync("/api/v1/namespaces/kube-system/secrets", secret);

        string[] rejected = [$"{good.Id}.{new string('x', 16)}", expired.ToString(), notForAuthentication.ToString(), BootstrapToken.Generate().ToString()];
        foreach (var token in rejected)
        {
            var (code, status) = await WhoAmIAsync(token);
            Assert.True(code == HttpStatusCode.Unauthorized, $"{token}: {(int)code} {status}");
            Assert.Equal("Unauthorized", (string?)status!["reason"]);
        }
        // The good one still works after all those tries.
        Assert.Equal(HttpStatusCode.Created, (await WhoAmIAsync(good.ToString())).Code);
    }

    [Fact]
    public async Task ClusterInfoIsReadableWithoutACredentialOnlyWhereRbacAllowsIt()
    {
        using var anonymous = cluster.CreateHttpClient(cluster.Replicas[0], (System.Security.Cryptography.X509Certificates.X509Certificate2?)null, null);
        await CreateAsync("/api/v1/namespaces/kube-public/configmaps", ClusterInfo.ConfigMap("-----BEGIN CERTIFICATE-----", [new Uri("https://127.0.0.1:6443")]));
        using (var before = await anonymous.GetAsync("/api/v1/namespaces/kube-public/configmaps/cluster-info"))
            Assert.Equal(HttpStatusCode.Forbidden, before.StatusCode);

        await CreateAsync("/apis/rbac.authorization.k8s.io/v1/namespaces/kube-public/roles", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "cluster-info-reader" },
            ["rules"] = new JsonArray(new JsonObject
            {
                ["apiGroups"] = new JsonArray(""), ["resources"] = new JsonArray("configmaps"),
                ["resourceNames"] = new JsonArray("cluster-info"), ["verbs"] = new JsonArray("get"),
            }),
        });
        await CreateAsync("/apis/rbac.authorization.k8s.io/v1/namespaces/kube-public/rolebindings", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "cluster-info-reader" },
            ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "Role", ["name"] = "cluster-info-reader" },
            ["subjects"] = new JsonArray(new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "User", ["name"] = "system:anonymous" }),
        });
        await Eventually.HoldsAsync(async () =>
        {
            using var after = await anonymous.GetAsync("/api/v1/namespaces/kube-public/configmaps/cluster-info");
            return after.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(10));
        // Only that object: other config maps of kube-public, and other namespaces, still want a credential.
        using var other = await anonymous.GetAsync("/api/v1/namespaces/kube-public/configmaps");
        Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);
    }

    private async Task CreateAsync(string path, JsonObject obj)
    {
        using var response = await admin.PostAsJsonAsync(path, obj);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private async Task<(HttpStatusCode Code, JsonNode? Body)> WhoAmIAsync(string token)
    {
        using var client = cluster.CreateHttpClient(cluster.Replicas[0], null, token);
        using var response = await client.PostAsJsonAsync("/apis/authentication.k8s.io/v1/selfsubjectreviews",
            new JsonObject { ["apiVersion"] = "authentication.k8s.io/v1", ["kind"] = "SelfSubjectReview" });
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()));
    }
}
