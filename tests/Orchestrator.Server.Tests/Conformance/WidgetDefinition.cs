using System.Net;
using System.Text.Json.Nodes;
using Orchestrator.Testing;

namespace Orchestrator.Server.Tests.Conformance;

/// <summary>The custom resource case: widgets.conformance.example.com, made through the API once per cluster.</summary>
public static class WidgetDefinition
{
    public const string Group = "conformance.example.com";

    public const string Name = "widgets." + Group;

    public static JsonObject Manifest() => (JsonObject)JsonNode.Parse("""
        {
          "apiVersion": "apiextensions.k8s.io/v1",
          "kind": "CustomResourceDefinition",
          "metadata": {"name": "widgets.conformance.example.com"},
          "spec": {
            "group": "conformance.example.com",
            "scope": "Namespaced",
            "names": {"plural": "widgets", "singular": "widget", "kind": "Widget", "listKind": "WidgetList"},
            "versions": [{
              "name": "v1", "served": true, "storage": true,
              "subresources": {"status": {}},
              "schema": {"openAPIV3Schema": {
                "type": "object",
                "properties": {
                  "spec": {"type": "object", "properties": {"size": {"type": "string"}, "count": {"type": "integer"}}},
                  "status": {"type": "object", "properties": {"phase": {"type": "string"}}}
                }
              }}
            }]
          }
        }
        """)!;

    /// <summary>Creates the CRD, then waits until it is Established and widgets shows in discovery on every replica.</summary>
    public static async Task CreateAsync(ApiFixture api)
    {
        var (code, body, _) = await api.SendAsync(1, HttpMethod.Post, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", Manifest());
        Assert.True(code is HttpStatusCode.Created or HttpStatusCode.Conflict,
            $"POST customresourcedefinitions {Name}: expected 201, got {(int)code} {body?.ToJsonString()}");
        for (var replica = 1; replica <= 3; replica++)
        {
            var r = replica;
            await Eventually.HoldsAsync(async () =>
            {
                var crd = await api.OkAsync(r, HttpMethod.Get, $"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{Name}");
                var established = crd["status"]?["conditions"]?.AsArray()
                    .Any(c => (string?)c?["type"] == "Established" && (string?)c["status"] == "True") ?? false;
                if (!established)
                    return false;
                var (found, discovery, _) = await api.SendAsync(r, HttpMethod.Get, $"/apis/{Group}/v1");
                return found == HttpStatusCode.OK
                    && (discovery?["resources"]?.AsArray().Any(x => (string?)x?["name"] == "widgets" && (string?)x["kind"] == "Widget") ?? false);
            }, TimeSpan.FromSeconds(30), () => $"{Name} not Established or widgets not in /apis/{Group}/v1 on replica {r}");
        }
    }
}
