using System.Text.Json.Nodes;
using Orchestrator.Controllers.Scheduling;

namespace Orchestrator.Controllers.Tests.Scheduling;

/// <summary>Scheduling decisions without a cluster: the cache, filters and scores on hand-made nodes and pods.</summary>
public sealed class NodePickerTests
{
    private static JsonObject Node(string name, string cpu = "2", string pods = "110", bool unschedulable = false, bool ready = true, JsonArray? taints = null) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["zone"] = name.EndsWith('1') ? "a" : "b" } },
        ["spec"] = new JsonObject { ["unschedulable"] = unschedulable, ["taints"] = taints ?? [] },
        ["status"] = new JsonObject
        {
            ["allocatable"] = new JsonObject { ["cpu"] = cpu, ["memory"] = "4Gi", ["pods"] = pods },
            ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = ready ? "True" : "False" }),
        },
    };

    private static PodRequirements Pod(string name, string cpu = "500m", string? extraSpec = null)
    {
        var pod = JsonNode.Parse("{\"metadata\":{\"namespace\":\"ns\"},\"spec\":{\"containers\":[{\"name\":\"c\"}]" + extraSpec + "}}")!.AsObject();
        pod["metadata"]!["name"] = name;
        pod["metadata"]!["uid"] = "u-" + name;
        pod["spec"]!["containers"]![0]!["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = cpu } };
        return PodRequirements.Of(pod);
    }

    [Fact]
    public void AssumedPodsCountAgainstTheNode()
    {
        var cache = new SchedulerCache();
        cache.SetNode(Node("n1", cpu: "1"));
        var picker = new NodePicker(new Random(1));
        var first = picker.Pick(Pod("a", cpu: "600m"), cache);
        Assert.Equal("n1", first.Node!.Name);
        cache.Assume(Pod("a", cpu: "600m"), first.Node);
        var second = picker.Pick(Pod("b", cpu: "600m"), cache);
        Assert.Null(second.Node);
        Assert.Equal("0/1 nodes are available: 1 Insufficient cpu.", second.FailureMessage);
        cache.ForgetAssumed("ns/a");
        Assert.NotNull(picker.Pick(Pod("b", cpu: "600m"), cache).Node);
    }

    [Fact]
    public void FailureMessageCountsEveryReason()
    {
        var cache = new SchedulerCache();
        cache.SetNode(Node("n1", cpu: "1"));
        cache.SetNode(Node("n2", unschedulable: true));
        cache.SetNode(Node("n3", unschedulable: true));
        cache.SetNode(Node("n4", taints: [new JsonObject { ["key"] = "gpu", ["value"] = "yes", ["effect"] = "NoSchedule" }]));
        cache.SetNode(Node("n5", ready: false));
        var decision = new NodePicker(new Random(1)).Pick(Pod("p", cpu: "1500m"), cache);
        Assert.Equal("0/5 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {gpu: yes}, "
            + "1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }, 2 node(s) were unschedulable.", decision.FailureMessage);
    }

    [Fact]
    public void MaxPodsAndTolerationsAndAffinity()
    {
        var cache = new SchedulerCache();
        cache.SetNode(Node("n1", pods: "1", taints: [new JsonObject { ["key"] = "gpu", ["effect"] = "NoSchedule" }]));
        var tolerant = Pod("t", extraSpec: ""","tolerations":[{"key":"gpu","operator":"Exists"}]""");
        var picker = new NodePicker(new Random(1));
        Assert.Null(picker.Pick(Pod("plain"), cache).Node);
        var node = picker.Pick(tolerant, cache).Node!;
        cache.Assume(tolerant, node);
        Assert.Contains("Too many pods", picker.Pick(Pod("t2", extraSpec: ""","tolerations":[{"operator":"Exists"}]"""), cache).FailureMessage);
        var affine = Pod("aff", extraSpec: ""","tolerations":[{"operator":"Exists"}],"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"zone","operator":"In","values":["b"]}]}]}}}""");
        Assert.Contains("node affinity/selector", picker.Pick(affine, cache).FailureMessage);
    }

    [Fact]
    public void PodsOfOneOwnerSpread()
    {
        var cache = new SchedulerCache();
        for (var i = 1; i <= 3; i++)
            cache.SetNode(Node($"n{i}", cpu: "8"));
        var picker = new NodePicker(new Random(7));
        var placed = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var pod = Pod($"p{i}", cpu: "10m") with { Owner = "ns/ReplicaSet/web" };
            var node = picker.Pick(pod, cache).Node!;
            cache.Assume(pod, node);
            placed.Add(node.Name);
        }
        Assert.All(placed.GroupBy(n => n), g => Assert.Equal(2, g.Count()));
    }

    [Theory]
    [InlineData(50, 50)]
    [InlineData(1000, 420)]
    [InlineData(5000, 500)]
    [InlineData(100, 100)]
    public void SamplesFewerNodesInBigClusters(int total, int expected) => Assert.Equal(expected, NodePicker.FeasibleNodesToFind(total));
}
