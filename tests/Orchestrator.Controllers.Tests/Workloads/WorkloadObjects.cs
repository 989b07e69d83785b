using System.Text.Json.Nodes;
using Orchestrator.Client;

namespace Orchestrator.Controllers.Tests.Workloads;

/// <summary>Objects and reads the workload tests share.</summary>
public static class WorkloadObjects
{
    public static JsonObject Deployment(string name, int replicas, string image = "nginx:1.25", JsonObject? strategy = null) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "Deployment",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject
        {
            ["replicas"] = replicas,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
            ["strategy"] = strategy ?? new JsonObject { ["type"] = "RollingUpdate", ["rollingUpdate"] = new JsonObject { ["maxSurge"] = 1, ["maxUnavailable"] = 0 } },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = name } },
                ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "web", ["image"] = image }) },
            },
        },
    };

    public static JsonObject ReplicaSet(string name, int replicas) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "ReplicaSet",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject
        {
            ["replicas"] = replicas,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["rs"] = name } },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["rs"] = name } },
                ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = "busybox" }) },
            },
        },
    };

    /// <summary>An rc with no selector: the API server takes it (app=name) from the template's labels.</summary>
    public static JsonObject ReplicationController(string name, int replicas) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ReplicationController",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject
        {
            ["replicas"] = replicas,
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = name } },
                ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = "busybox" }) },
            },
        },
    };

    public static async Task<string> NamespaceAsync(KubeClient client)
    {
        var name = "t-" + Guid.NewGuid().ToString("N")[..8];
        await client.CreateAsync(ApiResource.Namespaces, null, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = new JsonObject { ["name"] = name },
        });
        return name;
    }

    public static async Task<List<JsonObject>> PodsAsync(KubeClient client, string ns) =>
        [.. (await client.ListAsync(ApiResource.Pods, ns)).Items];

    public static async Task<List<JsonObject>> ReplicaSetsAsync(KubeClient client, string ns) =>
        [.. (await client.ListAsync(ApiResource.ReplicaSets, ns)).Items];

    public static string? Image(JsonObject pod) => (string?)pod["spec"]!["containers"]![0]!["image"];
}
