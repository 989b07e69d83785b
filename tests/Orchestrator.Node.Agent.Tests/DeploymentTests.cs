using System.Text.Json.Nodes;
using Orchestrator.Client;
using Orchestrator.Testing;
using Xunit;

namespace Orchestrator.Node.Agent.Tests;

/// <summary>
/// Deployments scheduled onto the two real agents: pods run as host processes, and when an agent stops its node turns
/// NotReady and its pods are recreated on the other node.
/// </summary>
[Collection(AgentCollection.Name)]
public sealed class DeploymentTests(AgentFixture fixture)
{
    private KubeClient Client => fixture.Client;

    [Fact]
    public async Task A_deployment_of_busybox_from_the_registry_runs_as_processes_on_the_agent_nodes()
    {
        var ns = await fixture.NamespaceAsync();
        var marker = "marker-" + Guid.NewGuid().ToString("N")[..10];
        await Client.CreateAsync(ApiResource.Deployments, ns, Deployment("web", 2, marker));

        var pods = await RunningPodsAsync(ns, 2);
        var agentNodes = fixture.Agents.Select(a => a.NodeName).ToHashSet();
        Assert.All(pods, p => Assert.Contains(p.Str("spec", "nodeName") ?? "", agentNodes));
        Assert.All(pods, p => Assert.StartsWith("10.251.", p.Str("status", "podIP") ?? ""));
        // One `sh -c "sleep ...; echo marker"` per pod in the host's process table.
        await Eventually.HoldsAsync(() => Task.FromResult(AgentFixture.Pids(marker).Count == 2), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Stopping_an_agent_makes_its_node_NotReady_and_its_pods_run_again_on_the_other_node()
    {
        var ns = await fixture.NamespaceAsync();
        var marker = "marker-" + Guid.NewGuid().ToString("N")[..10];
        await Client.CreateAsync(ApiResource.Deployments, ns, Deployment("spread", 2, marker));
        var before = await RunningPodsAsync(ns, 2);
        var victim = fixture.Agents.Single(a => a.NodeName == (before[0].Str("spec", "nodeName") ?? ""));
        var survivor = fixture.Agents.Single(a => a != victim);
        var lost = before.Where(p => (p.Str("spec", "nodeName") ?? "") == victim.NodeName)
            .Select(p => p.Str("metadata", "uid") ?? "").ToHashSet();

        try
        {
            await victim.StopAsync();

            // Lease stale past the 8 s grace period -> Ready Unknown, taints, eviction after 2 s, replacements elsewhere.
            await Eventually.HoldsAsync(async () =>
            {
                var node = await Client.GetAsync(ApiResource.Nodes, null, victim.NodeName);
                return node.Condition("Ready").Str("status") == "Unknown";
            }, TimeSpan.FromSeconds(60));
            string last = "";
            await Eventually.HoldsAsync(async () =>
            {
                var pods = (await Client.ListAsync(ApiResource.Pods, ns)).Items;
                last = string.Join("; ", pods.Select(p => $"{p.Name()} {p.Str("spec", "nodeName")} {p.Str("status", "phase")} deleting={p.IsDeleting()}"));
                var live = pods.Where(p => !p.IsDeleting()).ToList();
                return pods.Where(p => lost.Contains(p.Str("metadata", "uid") ?? "")).All(Json.IsDeleting)
                    && live.Count == 2
                    && live.All(p => (p.Str("spec", "nodeName") ?? "") == survivor.NodeName && IsReady(p));
            }, TimeSpan.FromSeconds(90), () => last);
        }
        finally
        {
            await victim.RestartAsync();
        }

        // Back on its feet, the agent finishes the evicted pods' deletion and kills what was left of them.
        await Eventually.HoldsAsync(async () =>
        {
            var pods = (await Client.ListAsync(ApiResource.Pods, ns)).Items;
            var node = await Client.GetAsync(ApiResource.Nodes, null, victim.NodeName);
            return pods.All(p => !lost.Contains(p.Str("metadata", "uid") ?? ""))
                && node.Condition("Ready").Str("status") == "True";
        }, TimeSpan.FromSeconds(60));
        await Eventually.HoldsAsync(() => Task.FromResult(AgentFixture.Pids(marker).Count == 2), TimeSpan.FromSeconds(20));
    }

    private async Task<List<JsonObject>> RunningPodsAsync(string ns, int count)
    {
        List<JsonObject> running = [];
        await Eventually.HoldsAsync(async () =>
        {
            running = [.. (await Client.ListAsync(ApiResource.Pods, ns)).Items.Where(p => !p.IsDeleting() && IsReady(p))];
            return running.Count == count;
        }, TimeSpan.FromSeconds(90), () => $"{running.Count} running");
        return running;
    }

    private static bool IsReady(JsonObject pod) =>
        pod.Str("status", "phase") == "Running" && pod.Condition("Ready").Str("status") == "True";

    private JsonObject Deployment(string name, int replicas, string marker)
    {
        var labels = new JsonObject { ["app"] = name };
        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = new JsonObject
            {
                ["replicas"] = replicas,
                ["selector"] = new JsonObject { ["matchLabels"] = labels.DeepClone() },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = labels.DeepClone() },
                    ["spec"] = new JsonObject
                    {
                        ["terminationGracePeriodSeconds"] = 5,
                        ["containers"] = new JsonArray(new JsonObject
                        {
                            ["name"] = "main",
                            ["image"] = fixture.Image,
                            ["command"] = new JsonArray("sh", "-c", $"sleep 3600; echo {marker}"),
                        }),
                    },
                },
            },
        };
    }
}
