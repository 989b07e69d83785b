using System.Net;
using System.Text.Json.Nodes;
using Orchestrator.Testing;

namespace Orchestrator.Server.Tests;

/// <summary>CRD behaviour the conformance table does not cover: versions served from one stored object, and name conflicts.</summary>
public sealed class CustomResourceDefinitionTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private const string Crds = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";

    [Fact]
    public async Task Every_served_version_answers_with_its_own_apiVersion_on_every_replica()
    {
        await fixture.OkAsync(1, HttpMethod.Post, Crds, Crd("gadgets", "Gadget", "v1beta1", "v1"));
        await EstablishedAsync("gadgets.versions.example.com");

        await fixture.OkAsync(1, HttpMethod.Post, "/apis/versions.example.com/v1/gadgets",
            JsonNode.Parse("""{"apiVersion":"versions.example.com/v1","kind":"Gadget","metadata":{"name":"g1"},"spec":{"a":1}}"""));
        var old = await fixture.OkAsync(2, HttpMethod.Get, "/apis/versions.example.com/v1beta1/gadgets/g1");
        var list = await fixture.OkAsync(3, HttpMethod.Get, "/apis/versions.example.com/v1beta1/gadgets");
        var patched = await fixture.OkAsync(3, HttpMethod.Patch, "/apis/versions.example.com/v1beta1/gadgets/g1",
            JsonNode.Parse("""{"spec":{"b":2}}"""), "application/merge-patch+json");
        var current = await fixture.OkAsync(2, HttpMethod.Get, "/apis/versions.example.com/v1/gadgets/g1");

        Assert.Equal("versions.example.com/v1beta1", (string?)old["apiVersion"]);
        Assert.Equal(1, (int?)old["spec"]!["a"]);
        Assert.Equal("versions.example.com/v1beta1", (string?)list["apiVersion"]);
        Assert.All(list["items"]!.AsArray(), item => Assert.Equal("versions.example.com/v1beta1", (string?)item!["apiVersion"]));
        Assert.Equal("versions.example.com/v1beta1", (string?)patched["apiVersion"]);
        Assert.Equal("versions.example.com/v1", (string?)current["apiVersion"]);
        Assert.Equal(2, (int?)current["spec"]!["b"]);
    }

    [Fact]
    public async Task A_kind_already_served_in_the_group_is_not_accepted_and_not_served()
    {
        await fixture.OkAsync(1, HttpMethod.Post, Crds, Crd("owners", "Owner", "v1"));
        await EstablishedAsync("owners.versions.example.com");
        await fixture.OkAsync(2, HttpMethod.Post, Crds, Crd("others", "Owner", "v1"));

        JsonNode? conditions = null;
        await Eventually.HoldsAsync(async () =>
        {
            var crd = await fixture.OkAsync(3, HttpMethod.Get, $"{Crds}/others.versions.example.com");
            conditions = crd["status"]?["conditions"];
            return conditions?.AsArray().Any(c => (string?)c!["type"] == "NamesAccepted" && (string?)c["status"] == "False") == true;
        }, TimeSpan.FromSeconds(20), () => conditions?.ToJsonString() ?? "");
        var (code, _, _) = await fixture.SendAsync(1, HttpMethod.Get, "/apis/versions.example.com/v1/others");

        Assert.Equal(HttpStatusCode.NotFound, code);
        var accepted = conditions!.AsArray().Single(c => (string?)c!["type"] == "NamesAccepted")!;
        Assert.Equal("\"Owner\" is already in use", (string?)accepted["message"]);
    }

    private async Task EstablishedAsync(string name)
    {
        JsonNode? crd = null;
        await Eventually.HoldsAsync(async () =>
        {
            crd = await fixture.OkAsync(2, HttpMethod.Get, $"{Crds}/{name}");
            return crd["status"]?["conditions"]?.AsArray().Any(c => (string?)c!["type"] == "Established" && (string?)c["status"] == "True") == true;
        }, TimeSpan.FromSeconds(20), () => crd?.ToJsonString() ?? "");
    }

    /// <summary>A cluster-scoped CRD in versions.example.com; the last version listed is the storage one.</summary>
    private static JsonObject Crd(string plural, string kind, params string[] versions) => new()
    {
        ["apiVersion"] = "apiextensions.k8s.io/v1",
        ["kind"] = "CustomResourceDefinition",
        ["metadata"] = new JsonObject { ["name"] = $"{plural}.versions.example.com" },
        ["spec"] = new JsonObject
        {
            ["group"] = "versions.example.com",
            ["scope"] = "Cluster",
            ["names"] = new JsonObject { ["plural"] = plural, ["kind"] = kind },
            ["versions"] = new JsonArray([.. versions.Select((v, i) => (JsonNode)new JsonObject
            {
                ["name"] = v,
                ["served"] = true,
                ["storage"] = i == versions.Length - 1,
                ["schema"] = new JsonObject
                {
                    ["openAPIV3Schema"] = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true },
                },
            })]),
        },
    };
}
