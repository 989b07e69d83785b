using System.Text.Json.Nodes;
using Orchestrator.Controllers.Disruption;

namespace Orchestrator.Controllers.Tests.Disruption;

/// <summary>The budget arithmetic, without a cluster.</summary>
public sealed class DisruptionBudgetTests
{
    [Theory]
    [InlineData("""{"minAvailable":2}""", 3, 3, 2, 1)]
    [InlineData("""{"minAvailable":"50%"}""", 3, 3, 2, 1)]
    [InlineData("""{"maxUnavailable":1}""", 3, 2, 2, 0)]
    [InlineData("""{"maxUnavailable":"34%"}""", 3, 3, 1, 2)]
    [InlineData("""{"minAvailable":"100%"}""", 4, 4, 4, 0)]
    public void DesiredHealthyAndAllowance(string spec, int pods, int ready, int desired, int allowed)
    {
        var pdb = new JsonObject { ["spec"] = JsonNode.Parse(spec) };
        var list = Enumerable.Range(0, pods).Select(i => Pod($"p{i}", ready: i < ready)).ToList();
        var numbers = DisruptionBudget.Compute(pdb, list, new HashSet<string>());
        Assert.Equal(new DisruptionBudget.Numbers(pods, ready, desired, allowed), numbers);
    }

    [Fact]
    public void PodsAlreadyGrantedAnEvictionAreNotHealthy()
    {
        var pdb = new JsonObject { ["spec"] = JsonNode.Parse("""{"minAvailable":1}""") };
        var numbers = DisruptionBudget.Compute(pdb, [Pod("a", true), Pod("b", true)], new HashSet<string> { "a" });
        Assert.Equal(1, numbers.CurrentHealthy);
        Assert.Equal(0, numbers.DisruptionsAllowed);
    }

    private static JsonObject Pod(string name, bool ready) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name },
        ["status"] = new JsonObject
        {
            ["phase"] = "Running",
            ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = ready ? "True" : "False" }),
        },
    };
}
