using System.Text.Json.Nodes;
using Orchestrator.Controllers.Services;

namespace Orchestrator.Controllers.Tests.Services;

/// <summary>Endpoints subsets from a service and pods, without a cluster.</summary>
public sealed class EndpointSubsetsTests
{
    private static readonly JsonObject Service = (JsonObject)JsonNode.Parse("""
        {"spec":{"selector":{"app":"x"},"ports":[{"name":"web","port":80,"targetPort":"web"}]}}
        """)!;

    [Fact]
    public void PodsServingTheNamedPortOnDifferentNumbersGetOneSubsetEach()
    {
        var subsets = EndpointSubsets.Compute(Service, [Pod("a", "10.0.0.1", 8080, ready: true), Pod("b", "10.0.0.2", 9090, ready: false), Pod("c", "10.0.0.3", 8080, ready: true)]);
        Assert.Equal(2, subsets.Count);
        var first = subsets.OfType<JsonObject>().Single(s => (long?)s["ports"]![0]!["port"] == 8080);
        Assert.Equal(["10.0.0.1", "10.0.0.3"], first["addresses"]!.AsArray().Select(a => (string)a!["ip"]!));
        var second = subsets.OfType<JsonObject>().Single(s => (long?)s["ports"]![0]!["port"] == 9090);
        Assert.Null(second["addresses"]);
        Assert.Equal("b", (string?)second["notReadyAddresses"]![0]!["targetRef"]!["name"]);
    }

    [Fact]
    public void PodsWithoutAnIpOrBeingDeletedAreLeftOut()
    {
        var deleting = Pod("d", "10.0.0.4", 8080, ready: true);
        deleting["metadata"]!["deletionTimestamp"] = "2025-01-01T00:00:00Z";
        var subsets = EndpointSubsets.Compute(Service, [Pod("n", null, 8080, ready: false), deleting]);
        Assert.Empty(subsets);
    }

    [Fact]
    public void UnchangedInputGivesEqualOutput() =>
        Assert.True(JsonNode.DeepEquals(
            EndpointSubsets.Compute(Service, [Pod("a", "10.0.0.1", 8080, true), Pod("c", "10.0.0.3", 8080, true)]),
            EndpointSubsets.Compute(Service, [Pod("c", "10.0.0.3", 8080, true), Pod("a", "10.0.0.1", 8080, true)])));

    private static JsonObject Pod(string name, string? ip, int port, bool ready) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default", ["uid"] = name + "-uid" },
        ["spec"] = new JsonObject
        {
            ["nodeName"] = "n1",
            ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["ports"] = new JsonArray(new JsonObject { ["name"] = "web", ["containerPort"] = port }) }),
        },
        ["status"] = new JsonObject
        {
            ["phase"] = "Running",
            ["podIP"] = ip,
            ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = ready ? "True" : "False" }),
        },
    };
}
