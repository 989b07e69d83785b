using System.Text.Json.Nodes;
using Orchestrator.Controllers.Scheduling;

namespace Orchestrator.Controllers.Tests.Scheduling;

/// <summary>What makes the scheduler write or retry, without a cluster: node changes and the Unschedulable condition.</summary>
public sealed class SchedulerWritesTests
{
    private static JsonObject Node(Action<JsonObject>? change = null)
    {
        var node = JsonNode.Parse("""
            {"metadata":{"name":"n","resourceVersion":"5","labels":{"zone":"a"}},
             "spec":{"taints":[]},
             "status":{"allocatable":{"cpu":"2","pods":"110"},
                       "conditions":[{"type":"Ready","status":"True","lastHeartbeatTime":"2026-12-01T00:00:00Z"}]}}
            """)!.AsObject();
        change?.Invoke(node);
        return node;
    }

    public static TheoryData<string, bool> NodeUpdates => new()
    {
        { "heartbeat", false },
        { "allocatable", true },
        { "labels", true },
        { "taints", true },
        { "cordon", false },
        { "uncordon", true },
        { "notReady", true },
    };

    [Theory]
    [MemberData(nameof(NodeUpdates))]
    public void OnlyNodeChangesTheFiltersSeeRequeueUnschedulablePods(string update, bool requeues)
    {
        var before = Node(update == "uncordon" ? n => n["spec"]!["unschedulable"] = true : null);
        var after = Node(n =>
        {
            n["metadata"]!["resourceVersion"] = "6";
            n["status"]!["conditions"]![0]!["lastHeartbeatTime"] = "2026-12-01T00:00:10Z";
            switch (update)
            {
                case "allocatable": n["status"]!["allocatable"]!["cpu"] = "4"; break;
                case "labels": n["metadata"]!["labels"]!["disk"] = "ssd"; break;
                case "taints": n["spec"]!["taints"] = new JsonArray(new JsonObject { ["key"] = "k", ["effect"] = "NoSchedule" }); break;
                case "cordon": n["spec"]!["unschedulable"] = true; break;
                case "notReady": n["status"]!["conditions"]![0]!["status"] = "False"; break;
            }
        });
        Assert.Equal(requeues, NodeChanges.MayMakePodsFit(before, after));
        Assert.True(NodeChanges.MayMakePodsFit(null, after));
    }

    [Fact]
    public void AnUnchangedUnschedulableConditionIsNotWrittenAgain()
    {
        var pod = JsonNode.Parse("""
            {"metadata":{"name":"p"},"status":{"phase":"Pending","conditions":[
              {"type":"PodScheduled","status":"False","reason":"Unschedulable","message":"0/0 nodes are available."}]}}
            """)!.AsObject();
        Assert.True(Scheduler.IsMarkedUnschedulable(pod, "0/0 nodes are available."));
        Assert.False(Scheduler.IsMarkedUnschedulable(pod, "0/1 nodes are available: 1 Insufficient cpu."));
        Assert.False(Scheduler.IsMarkedUnschedulable(JsonNode.Parse("""{"metadata":{"name":"p"}}""")!.AsObject(), "0/0 nodes are available."));
    }
}
