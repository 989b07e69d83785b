using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Server.Security;
using Orchestrator.Testing;

namespace Orchestrator.Server.Tests.Security;

/// <summary>
/// Every authentication method x allowed / denied x get, list, watch, create, delete, through raw HTTP and the real
/// kubectl, on each of three replicas: the allowed user is served, the denied one gets kube's exact 403, no credential
/// (or a bad one) kube's 401, and `kubectl auth can-i` agrees with what happened.
/// </summary>
public sealed class SecurityMatrixTests(SecurityMatrixTests.Cluster fixture) : IClassFixture<SecurityMatrixTests.Cluster>
{
    public const string Namespace = "matrix";
    private static readonly string[] Verbs = ["get", "list", "watch", "create", "delete"];

    public static TheoryData<string> Methods => new() { "x509", "token-file", "serviceaccount", "oidc", "webhook" };

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task Raw_http_on_every_replica(string method)
    {
        foreach (var allowed in new[] { true, false })
        {
            var identity = fixture.Identities[(method, allowed)];
            foreach (var replica in fixture.Api.Replicas)
            {
                using var client = fixture.Api.CreateHttpClient(replica, identity.Certificate, identity.Token);
                var name = $"raw-{method}-{replica.Ordinal}-{(allowed ? "yes" : "no")}";
                foreach (var verb in new[] { "create", "get", "list", "watch", "delete" })
                {
                    using var response = await SendAsync(client, verb, name);
                    var body = await response.Content.ReadAsStringAsync();
                    var what = $"{method} {(allowed ? "allowed" : "denied")} {verb} on replica {replica.Ordinal}: {(int)response.StatusCode} {body}";
                    if (allowed)
                    {
                        Assert.True(response.StatusCode == (verb == "create" ? HttpStatusCode.Created : HttpStatusCode.OK), what);
                        continue;
                    }
                    Assert.True(response.StatusCode == HttpStatusCode.Forbidden, what);
                    var status = JsonNode.Parse(body)!;
                    Assert.Equal("Forbidden", (string?)status["reason"]);
                    Assert.Equal(403, (int?)status["code"]);
                    var subject = verb is "get" or "delete" ? $"configmaps \"{name}\"" : "configmaps";
                    Assert.Equal($"{subject} is forbidden: User \"{identity.User}\" cannot {verb} resource \"configmaps\" in API group \"\" in the namespace \"{Namespace}\"",
                        (string?)status["message"]);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task Kubectl_on_every_replica_and_can_i_agrees(string method)
    {
        foreach (var allowed in new[] { true, false })
        {
            var identity = fixture.Identities[(method, allowed)];
            var kubectl = fixture.KubectlFor(identity);
            foreach (var replica in fixture.Api.Replicas)
            {
                var context = fixture.Api.ContextOf(replica);
                var name = $"kc-{method}-{replica.Ordinal}-{(allowed ? "yes" : "no")}";
                string[][] commands =
                [
                    ["create", "configmap", name, "--from-literal=k=v"],
                    ["get", "configmap", name],
                    ["get", "configmaps"],
                    ["get", "--raw", $"/api/v1/namespaces/{Namespace}/configmaps?watch=true&timeoutSeconds=1"],
                    ["delete", "configmap", name, "--wait=false"],
                ];
                string[] verbs = ["create", "get", "list", "watch", "delete"];
                for (var i = 0; i < commands.Length; i++)
                {
                    var result = await kubectl.RunAsync(context, ["-n", Namespace, .. commands[i]]);
                    var what = $"{method} {(allowed ? "allowed" : "denied")} kubectl {string.Join(' ', commands[i])} on {context}: {result}";
                    Assert.True(result.Succeeded == allowed, what);
                    if (!allowed)
                        Assert.True(result.Error.Contains($"is forbidden: User \"{identity.User}\" cannot {verbs[i]} resource \"configmaps\""), what);
                    var canI = await kubectl.RunAsync(context, "auth", "can-i", verbs[i], "configmaps", "-n", Namespace);
                    Assert.True(canI.Output.Trim() == (allowed ? "yes" : "no"), $"can-i {verbs[i]}: {canI}");
                }
                var whoami = await kubectl.RunAsync(context, "auth", "whoami", "-o", "jsonpath={.status.userInfo.username}");
                Assert.True(whoami.Output == identity.User, whoami.ToString());
            }
        }
    }

    [Fact]
    public async Task No_or_bad_credentials_are_401_on_every_replica()
    {
        foreach (var replica in fixture.Api.Replicas)
        {
            foreach (var token in new string?[] { null, "not-a-token", fixture.ExpiredOidcToken, fixture.WrongAudienceOidcToken })
            {
                using var client = fixture.Api.CreateHttpClient(replica, certificate: null, token);
                foreach (var verb in Verbs)
                {
                    using var response = await SendAsync(client, verb, "anything");
                    var body = await response.Content.ReadAsStringAsync();
                    Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{token ?? "(none)"} {verb}: {(int)response.StatusCode} {body}");
                    Assert.Equal("""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}""",
                        body.Trim());
                }
            }
            // Anonymous may still read what kube's system:public-info-viewer allows.
            using var anonymous = fixture.Api.CreateHttpClient(replica, certificate: null, bearerToken: null);
            foreach (var path in new[] { "/version", "/healthz", "/readyz", "/livez" })
            {
                using var response = await anonymous.GetAsync(path);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
            }
        }
        var kubectl = fixture.KubectlFor(new Identity("nobody", null, "not-a-token"));
        var denied = await kubectl.RunAsync(fixture.Api.ContextOf(fixture.Api.Replicas[1]), "get", "configmaps", "-n", Namespace);
        Assert.False(denied.Succeeded);
        Assert.Contains("You must be logged in to the server", denied.Error);
    }

    [Fact]
    public async Task Oidc_keys_rotate_and_webhook_answers_are_cached()
    {
        using var client = fixture.Api.CreateHttpClient(fixture.Api.Replicas[0], certificate: null, fixture.Identities[("oidc", true)].Token);
        using (var before = await client.GetAsync($"/api/v1/namespaces/{Namespace}/configmaps"))
            Assert.True(before.StatusCode == HttpStatusCode.OK, fixture.Api.Replicas[0].Output);
        fixture.Issuer.RotateKeys();
        var fresh = fixture.IssueOidc("rotated@example.com");
        using (var rotated = fixture.Api.CreateHttpClient(fixture.Api.Replicas[0], certificate: null, fresh))
        using (var response = await rotated.GetAsync($"/api/v1/namespaces/{Namespace}/configmaps"))
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        using (var old = await client.GetAsync($"/api/v1/namespaces/{Namespace}/configmaps"))
            Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);

        fixture.Webhook.Add("cached-token", "webhook-cached", "matrix-readers");
        using var webhookClient = fixture.Api.CreateHttpClient(fixture.Api.Replicas[2], certificate: null, "cached-token");
        var reviewsBefore = fixture.Webhook.Reviews;
        for (var i = 0; i < 5; i++)
        {
            using var response = await webhookClient.GetAsync($"/api/v1/namespaces/{Namespace}/configmaps");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        Assert.Equal(reviewsBefore + 1, fixture.Webhook.Reviews);
    }

    [Fact]
    public async Task Service_account_tokens_verify_against_the_published_issuer_keys()
    {
        var token = fixture.Identities[("serviceaccount", true)].Token!;
        using var account = fixture.Api.CreateHttpClient(fixture.Api.Replicas[1], certificate: null, token);
        using var discovery = await account.GetAsync("/.well-known/openid-configuration");
        var document = JsonNode.Parse(await discovery.Content.ReadAsStringAsync())!;
        Assert.True(discovery.StatusCode == HttpStatusCode.OK, document.ToJsonString());
        Assert.Equal(Orchestrator.Server.Security.Authentication.ServiceAccountTokens.Issuer, (string?)document["issuer"]);
        using var jwks = await account.GetAsync(new Uri((string)document["jwks_uri"]!).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, jwks.StatusCode);
        var keys = new Microsoft.IdentityModel.Tokens.JsonWebKeySet(await jwks.Content.ReadAsStringAsync());
        var result = await new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().ValidateTokenAsync(token, new Microsoft.IdentityModel.Tokens.TokenValidationParameters
        {
            ValidIssuer = (string?)document["issuer"],
            ValidAudience = Orchestrator.Server.Security.Authentication.ServiceAccountTokens.Issuer,
            IssuerSigningKeys = keys.GetSigningKeys(),
        });
        Assert.True(result.IsValid, result.Exception?.Message);

        // Not published to everyone: a user outside system:serviceaccounts is refused, anonymous is 401.
        using var user = fixture.Api.CreateHttpClient(fixture.Api.Replicas[1], certificate: null, fixture.Identities[("token-file", true)].Token);
        using (var refused = await user.GetAsync("/openid/v1/jwks"))
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using var anonymous = fixture.Api.CreateHttpClient(fixture.Api.Replicas[1], certificate: null, bearerToken: null);
        using (var unauthorized = await anonymous.GetAsync("/openid/v1/jwks"))
            Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string verb, string name)
    {
        var collection = $"/api/v1/namespaces/{Namespace}/configmaps";
        using var request = verb switch
        {
            "get" => new HttpRequestMessage(HttpMethod.Get, $"{collection}/{name}"),
            "list" => new HttpRequestMessage(HttpMethod.Get, collection),
            "watch" => new HttpRequestMessage(HttpMethod.Get, $"{collection}?watch=true&timeoutSeconds=1"),
            "delete" => new HttpRequestMessage(HttpMethod.Delete, $"{collection}/{name}"),
            _ => new HttpRequestMessage(HttpMethod.Post, collection)
            {
                Content = new StringContent(
                    new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = name } }.ToJsonString(),
                    Encoding.UTF8, "application/json"),
            },
        };
        return await client.SendAsync(request);
    }

    public sealed record Identity(string User, X509Certificate2? Certificate, string? Token);

    /// <summary>
    /// Three replicas with every authenticator configured (a token file, an OIDC issuer, a token webhook the test runs),
    /// a namespace, a Role that grants the five verbs on configmaps, and per method one bound and one unbound identity.
    /// </summary>
    public sealed class Cluster : IAsyncLifetime
    {
        private const string ClientId = "orchestrator-matrix";
        private readonly string directory = Directory.CreateTempSubdirectory("security-matrix-").FullName;

        public ApiCluster Api { get; private set; } = null!;
        public TestOidcIssuer Issuer { get; private set; } = null!;
        public TestTokenWebhook Webhook { get; private set; } = null!;
        public Dictionary<(string Method, bool Allowed), Identity> Identities { get; } = [];
        public string ExpiredOidcToken { get; private set; } = "";
        public string WrongAudienceOidcToken { get; private set; } = "";

        public async Task InitializeAsync()
        {
            Issuer = await TestOidcIssuer.StartAsync();
            Webhook = await TestTokenWebhook.StartAsync();
            var tokenFile = Path.Combine(directory, "tokens.csv");
            File.WriteAllText(tokenFile, "file-token-allowed,file-allowed,u1\nfile-token-denied,file-denied,u2\n");
            var webhookConfig = Path.Combine(directory, "webhook.yaml");
            Webhook.WriteConfig(webhookConfig);
            Webhook.Add("webhook-token-allowed", "webhook-allowed");
            Webhook.Add("webhook-token-denied", "webhook-denied");
            Api = await ApiCluster.StartAsync(3, serverArgs:
            [
                "--token-auth-file", tokenFile,
                "--oidc-issuer-url", Issuer.IssuerUrl, "--oidc-client-id", ClientId, "--oidc-ca-file", Issuer.CaFile,
                "--oidc-username-claim", "email", "--oidc-groups-claim", "groups", "--oidc-groups-prefix", "oidc:",
                "--authentication-token-webhook-config-file", webhookConfig,
            ]);
            using var admin = Api.CreateHttpClient(Api.Replicas[0]);
            await PostAsync(admin, "/api/v1/namespaces", new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = Namespace } });
            await PostAsync(admin, $"/apis/rbac.authorization.k8s.io/v1/namespaces/{Namespace}/roles", new JsonObject
            {
                ["apiVersion"] = "rbac.authorization.k8s.io/v1",
                ["kind"] = "Role",
                ["metadata"] = new JsonObject { ["name"] = "configmaps" },
                ["rules"] = new JsonArray(new JsonObject
                {
                    ["apiGroups"] = new JsonArray(""),
                    ["resources"] = new JsonArray("configmaps"),
                    ["verbs"] = new JsonArray([.. Verbs.Select(v => (JsonNode)v)]),
                }),
            });
            foreach (var name in new[] { "sa-allowed", "sa-denied" })
                await PostAsync(admin, $"/api/v1/namespaces/{Namespace}/serviceaccounts", new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ServiceAccount", ["metadata"] = new JsonObject { ["name"] = name } });

            using var pki = ClusterPki.LoadOrCreate(Api.PkiDirectory);
            foreach (var allowed in new[] { true, false })
            {
                var suffix = allowed ? "allowed" : "denied";
                Identities[("x509", allowed)] = new($"cert-{suffix}", pki.IssueClientCertificate($"cert-{suffix}", ["matrix-team"]), null);
                Identities[("token-file", allowed)] = new($"file-{suffix}", null, $"file-token-{suffix}");
                Identities[("serviceaccount", allowed)] = new($"system:serviceaccount:{Namespace}:sa-{suffix}", null, await TokenRequestAsync(admin, $"sa-{suffix}"));
                Identities[("oidc", allowed)] = new($"oidc-{suffix}@example.com", null, IssueOidc($"oidc-{suffix}@example.com"));
                Identities[("webhook", allowed)] = new($"webhook-{suffix}", null, $"webhook-token-{suffix}");
            }
            ExpiredOidcToken = Issuer.Issue(ClientId, Claims("late@example.com"), lifetime: TimeSpan.FromHours(-1));
            WrongAudienceOidcToken = Issuer.Issue("someone-else", Claims("other@example.com"));
            // Subjects are bound by name (users) or as service accounts; the webhook-cached user is bound through the
            // group it gets from the webhook, and OIDC groups carry their prefix.
            var subjects = new JsonArray(
                [.. Identities.Where(i => i.Key.Allowed && i.Key.Method != "serviceaccount").Select(i => (JsonNode)Subject("User", i.Value.User)),
                 Subject("ServiceAccount", "sa-allowed"), Subject("Group", "matrix-readers"), Subject("Group", "oidc:rotated")]);
            await PostAsync(admin, $"/apis/rbac.authorization.k8s.io/v1/namespaces/{Namespace}/rolebindings", new JsonObject
            {
                ["apiVersion"] = "rbac.authorization.k8s.io/v1",
                ["kind"] = "RoleBinding",
                ["metadata"] = new JsonObject { ["name"] = "configmaps" },
                ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "Role", ["name"] = "configmaps" },
                ["subjects"] = subjects,
            });
        }

        public string IssueOidc(string email) => Issuer.Issue(ClientId, Claims(email));

        private static Dictionary<string, object> Claims(string email) => new()
        {
            ["sub"] = email,
            ["email"] = email,
            ["email_verified"] = true,
            ["groups"] = email.StartsWith("rotated", StringComparison.Ordinal) ? new[] { "rotated" } : new[] { "people" },
        };

        /// <summary>A kubectl whose kubeconfig has the replicas as contexts and this identity as the user.</summary>
        public Kubectl KubectlFor(Identity identity)
        {
            var home = Path.Combine(directory, "home-" + Guid.NewGuid().ToString("N")[..8]);
            Directory.CreateDirectory(home);
            var kubeconfig = Path.Combine(home, "kubeconfig");
            using var pki = ClusterPki.LoadOrCreate(Api.PkiDirectory);
            var servers = Api.Replicas.Select(r => r.ApiUri).ToList();
            if (identity.Token is { } token)
                KubeconfigFile.WriteWithToken(kubeconfig, servers, pki, identity.User, token);
            else
                KubeconfigFile.Write(kubeconfig, servers, pki, identity.User, ["matrix-team"]);
            return new Kubectl(kubeconfig, home);
        }

        private static JsonObject Subject(string kind, string name) => kind == "ServiceAccount"
            ? new JsonObject { ["kind"] = kind, ["name"] = name, ["namespace"] = Namespace }
            : new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = kind, ["name"] = name };

        private static async Task<string> TokenRequestAsync(HttpClient admin, string account)
        {
            using var response = await admin.PostAsync($"/api/v1/namespaces/{Namespace}/serviceaccounts/{account}/token", new StringContent(
                new JsonObject { ["apiVersion"] = "authentication.k8s.io/v1", ["kind"] = "TokenRequest", ["spec"] = new JsonObject() }.ToJsonString(),
                Encoding.UTF8, "application/json"));
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Created, body);
            return (string)JsonNode.Parse(body)!["status"]!["token"]!;
        }

        private static async Task PostAsync(HttpClient client, string path, JsonObject body)
        {
            using var response = await client.PostAsync(path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        public async Task DisposeAsync()
        {
            await Api.DisposeAsync();
            await Issuer.DisposeAsync();
            await Webhook.DisposeAsync();
            Directory.Delete(directory, recursive: true);
        }
    }
}
