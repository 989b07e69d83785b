using System.Net;
using System.Text;
using Xunit;

namespace Orchestrator.Client.Tests;

/// <summary>DiscoverResourcesAsync against scripted servers: aggregated (v2) documents, and the legacy walk when a server ignores the v2 media type.</summary>
public sealed class DiscoveryTests
{
    private sealed class PathHandler(Func<HttpRequestMessage, string?> respond) : HttpMessageHandler
    {
        public List<string> Paths { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Paths.Add(request.RequestUri!.AbsolutePath);
            var body = respond(request);
            return Task.FromResult(body is null
                ? new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent("""{"kind":"Status","code":404,"reason":"NotFound"}""", Encoding.UTF8, "application/json") }
                : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }
    }

    [Fact]
    public async Task AggregatedDocumentsGiveEveryVersionAndMarkTheFirstPreferred()
    {
        var handler = new PathHandler(request =>
        {
            Assert.Contains("as=APIGroupDiscoveryList", request.Headers.Accept.ToString());
            return request.RequestUri!.AbsolutePath == "/api"
                ? """{"kind":"APIGroupDiscoveryList","items":[{"metadata":{"name":""},"versions":[{"version":"v1","resources":[ {"resource":"pods","scope":"Namespaced","responseKind":{"kind":"Pod"},"verbs":["get","list","delete"], "subresources":[{"subresource":"status","verbs":["get"]}]}]}]}]}"""
                : """{"kind":"APIGroupDiscoveryList","items":[{"metadata":{"name":"example.com"},"versions":[ {"version":"v2","resources":[{"resource":"widgets","scope":"Cluster","responseKind":{"kind":"Widget"},"verbs":["list"]}]}, {"version":"v1","resources":[{"resource":"widgets","scope":"Cluster","responseKind":{"kind":"Widget"},"verbs":["list"]}]}]}]}""";
        });
        using var client = new KubeClient(new Uri("http://fake"), handler);

        var found = await client.DiscoverResourcesAsync(Objects.Timeout());

        Assert.Equal(["/api", "/apis"], handler.Paths);
        Assert.Equal(3, found.Count);
        var pods = Assert.Single(found, r => r.Resource.Plural == "pods");
        Assert.Equal((new ApiResource("", "v1", "pods", true), "Pod", true), (pods.Resource, pods.Kind, pods.Preferred));
        Assert.True(pods.Supports("delete"));
        Assert.False(pods.Supports("watch"));
        Assert.True(Assert.Single(found, r => r.Resource.Version == "v2").Preferred);
        Assert.False(Assert.Single(found, r => r.Resource.Version == "v1" && r.Resource.Group == "example.com").Preferred);
    }

    [Fact]
    public async Task LegacyDocumentsAreWalkedGroupByGroupWithoutSubresources()
    {
        var handler = new PathHandler(request => request.RequestUri!.AbsolutePath switch
        {
            "/api" => """{"kind":"APIVersions","versions":["v1"]}""",
            "/apis" => """{"kind":"APIGroupList","groups":[{"name":"apps","versions":[{"groupVersion":"apps/v1","version":"v1"}],"preferredVersion":{"version":"v1"}}, {"name":"gone.example.com","versions":[{"version":"v1"}],"preferredVersion":{"version":"v1"}}]}""",
            "/api/v1" => """{"kind":"APIResourceList","resources":[{"name":"pods","namespaced":true,"kind":"Pod","verbs":["list"]}, {"name":"pods/status","namespaced":true,"kind":"Pod","verbs":["get"]}]}""",
            "/apis/apps/v1" => """{"kind":"APIResourceList","resources":[{"name":"deployments","namespaced":true,"kind":"Deployment","verbs":["list","watch"]}]}""",
            _ => null, // the CRD went away between the group list and its resources
        });
        using var client = new KubeClient(new Uri("http://fake"), handler);

        var found = await client.DiscoverResourcesAsync(Objects.Timeout());

        Assert.Equal(["pods.v1", "deployments.v1.apps"], found.Select(r => r.Resource.ToString()));
        Assert.All(found, r => Assert.True(r.Preferred));
        Assert.Equal("Deployment", found[1].Kind);
    }
}
