using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Orchestrator.Server.Tests;

/// <summary>Non-resource endpoints and bad input: every answer is a Status with the right code, never a 500.</summary>
public sealed class ProtocolTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Theory]
    [InlineData("/apis/nothing.example.com/v1/widgets", 404)]
    [InlineData("/api/v1/namespaces/default/unknownthings", 404)]
    [InlineData("/random/path", 404)]
    [InlineData("/api/v1/pods?labelSelector=a%20in%20(", 400)]
    [InlineData("/api/v1/pods?fieldSelector=spec.unknownField%3Dx", 400)]
    [InlineData("/api/v1/pods?limit=abc", 400)]
    [InlineData("/api/v1/pods?resourceVersion=abc", 400)]
    [InlineData("/api/v1/namespaces/default/pods?watch=true&resourceVersion=xyz", 400)]
    public async Task BadRequestsGetStatusErrors(string path, int expected)
    {
        var (code, body, _) = await fixture.SendAsync(1, HttpMethod.Get, path);
        Assert.Equal(expected, (int)code);
        Assert.Equal("Status", (string?)body!["kind"]);
        Assert.Equal("Failure", (string?)body["status"]);
        Assert.Equal(expected, (int?)body["code"]);
    }

    [Fact]
    public async Task BadBodiesGet400Or415Or422()
    {
        var path = "/api/v1/namespaces/default/configmaps";
        using var notJson = await fixture.Client(2).PostAsync(path, new StringContent("{not json", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        using var wrongType = await fixture.Client(2).PostAsync(path, new StringContent("x", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.StatusCode);
        using var array = await fixture.Client(2).PostAsync(path, new StringContent("[1,2]", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, array.StatusCode);
        var protobuf = new ByteArrayContent([0x6b, 0x38, 0x73, 0x00, 0x0a, 0x03]);
        protobuf.Headers.ContentType = new("application/vnd.kubernetes.protobuf");
        using var truncated = await fixture.Client(2).PostAsync(path, protobuf);
        Assert.Equal(HttpStatusCode.BadRequest, truncated.StatusCode);
        var (kind, status, _) = await fixture.SendAsync(3, HttpMethod.Post, path, JsonNode.Parse("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"x"}}"""));
        Assert.Equal(HttpStatusCode.BadRequest, kind);
        Assert.Contains("does not match the expected kind", (string?)status!["message"]);
        var (patch, _, _) = await fixture.SendAsync(3, HttpMethod.Patch, $"{path}/nothing", JsonNode.Parse("{}"), "application/json");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, patch);
        var (badPod, invalid, _) = await fixture.SendAsync(1, HttpMethod.Post, "/api/v1/namespaces/default/pods", JsonNode.Parse("""{"metadata":{"name":"p"},"spec":{"containers":[]}}"""));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badPod);
        Assert.Equal("Invalid", (string?)invalid!["reason"]);
        Assert.Equal("spec.containers", (string?)invalid["details"]!["causes"]![0]!["field"]);
    }

    [Fact]
    public async Task ProbesAreDefaultedAndProbesTheAgentCouldNotRunGet422()
    {
        const string path = "/api/v1/namespaces/default/pods";
        static JsonNode Pod(string name, string container) =>
            JsonNode.Parse($$$"""{"metadata":{"name":"{{{name}}}"},"spec":{"containers":[{"name":"c","image":"busybox",{{{container}}}}]}}""")!;

        var created = await fixture.OkAsync(1, HttpMethod.Post, path, Pod("probed",
            """ "ports":[{"name":"web","containerPort":80}],"readinessProbe":{"httpGet":{"port":"web"}},"livenessProbe":{"exec":{"command":["true"]}}"""));
        var readiness = created["spec"]!["containers"]![0]!["readinessProbe"]!;
        Assert.Equal(1, (int?)readiness["timeoutSeconds"]);
        Assert.Equal(10, (int?)readiness["periodSeconds"]);
        Assert.Equal(1, (int?)readiness["successThreshold"]);
        Assert.Equal(3, (int?)readiness["failureThreshold"]);
        Assert.Equal("/", (string?)readiness["httpGet"]!["path"]);
        Assert.Equal("HTTP", (string?)readiness["httpGet"]!["scheme"]);

        var (code, status, _) = await fixture.SendAsync(2, HttpMethod.Post, path, Pod("bad-probes", """
            "readinessProbe":{"periodSeconds":-1,"terminationGracePeriodSeconds":5,"tcpSocket":{"port":70000}},
            "livenessProbe":{"successThreshold":2,"exec":{"command":["true"]},"tcpSocket":{"port":80}},
            "startupProbe":{"httpGet":{"port":"Not_A_Name","scheme":"FTP"}}
            """));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        var fields = status!["details"]!["causes"]!.AsArray().Select(c => (string?)c!["field"]).ToHashSet();
        Assert.Superset(new HashSet<string?>
        {
            "spec.containers[0].readinessProbe.periodSeconds",
            "spec.containers[0].readinessProbe.terminationGracePeriodSeconds",
            "spec.containers[0].readinessProbe.tcpSocket.port",
            "spec.containers[0].livenessProbe.successThreshold",
            "spec.containers[0].livenessProbe.tcpSocket",
            "spec.containers[0].startupProbe.httpGet.port",
            "spec.containers[0].startupProbe.httpGet.scheme",
        }, fields);
        var (none, noHandler, _) = await fixture.SendAsync(3, HttpMethod.Post, path, Pod("no-handler", """ "livenessProbe":{"periodSeconds":5}"""));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, none);
        Assert.Contains("must specify a handler type", (string?)noHandler!["message"]);
    }

    [Fact]
    public async Task VersionDiscoveryAndOpenApi()
    {
        var version = await fixture.OkAsync(2, HttpMethod.Get, "/version");
        Assert.Equal("1", (string?)version["major"]);
        Assert.Equal("32", (string?)version["minor"]);

        var (_, aggregated, response) = await fixture.SendAsync(3, HttpMethod.Get, "/apis", accept: "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json");
        var contentType = response.Content.Headers.ContentType!;
        Assert.Equal("application/json", contentType.MediaType);
        Assert.Equal(["g=apidiscovery.k8s.io", "v=v2", "as=APIGroupDiscoveryList"], contentType.Parameters.Select(p => $"{p.Name}={p.Value}"));
        var apps = aggregated!["items"]!.AsArray().Single(i => (string?)i!["metadata"]!["name"] == "apps")!;
        var deployments = apps["versions"]![0]!["resources"]!.AsArray().Single(r => (string?)r!["resource"] == "deployments")!;
        Assert.Contains(deployments["subresources"]!.AsArray(), s => (string?)s!["subresource"] == "scale" && (string?)s["responseKind"]!["group"] == "autoscaling");

        var legacy = await fixture.OkAsync(1, HttpMethod.Get, "/api/v1");
        Assert.Contains(legacy["resources"]!.AsArray(), r => (string?)r!["name"] == "pods/eviction" && (string?)r["group"] == "policy" && (string?)r["kind"] == "Eviction");
        var groups = await fixture.OkAsync(1, HttpMethod.Get, "/apis");
        Assert.Contains(groups["groups"]!.AsArray(), g => (string?)g!["name"] == "coordination.k8s.io");

        var index = await fixture.OkAsync(1, HttpMethod.Get, "/openapi/v3");
        var url = (string)index["paths"]!["apis/apps/v1"]!["serverRelativeURL"]!;
        var document = await fixture.OkAsync(2, HttpMethod.Get, url);
        Assert.NotNull(document["components"]!["schemas"]!["io.k8s.api.apps.v1.Deployment"]);
    }

    [Fact]
    public async Task MetricsCarryRequestAndConsensusSeries()
    {
        await fixture.OkAsync(1, HttpMethod.Get, "/api/v1/namespaces/default/configmaps");
        using var response = await fixture.Client(1).GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Matches(@"orchestrator_apiserver_request_duration_seconds_bucket\{[^}]*code=""200""[^}]*resource=""configmaps""[^}]*verb=""list""", text);
        foreach (var name in new[] { "orchestrator_raft_is_leader", "orchestrator_raft_has_leader", "orchestrator_raft_term", "orchestrator_raft_commit_index", "orchestrator_raft_applied_index" })
            Assert.Contains(name, text);
    }

    [Theory]
    [InlineData("/api/v1/namespaces/default", "application/json", 200)]
    [InlineData("/api/v1/namespaces/default/configmaps", "application/json", 200)]
    [InlineData("/api/v1/namespaces/default/configmaps?labelSelector=a%3Db", "application/json", 200)]
    [InlineData("/api/v1/namespaces/default/configmaps", "application/json;as=Table;v=v1;g=meta.k8s.io", 200)]
    [InlineData("/api/v1/namespaces/default/configmaps/absent", "application/json", 404)]
    [InlineData("/api/v1", "application/json", 200)]
    [InlineData("/apis", "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList", 200)]
    [InlineData("/version", "application/json", 200)]
    public async Task JsonBodiesEndWithOneNewlineAsKubernetesDoes(string path, string accept, int expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        using var response = await fixture.Client(2).SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(expected, (int)response.StatusCode);
        Assert.EndsWith("}\n", body, StringComparison.Ordinal);
        Assert.NotNull(JsonNode.Parse(body));
    }
}
