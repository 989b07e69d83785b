using System.Text.Json.Nodes;
using Orchestrator.Client;
using Orchestrator.Testing;

namespace Orchestrator.Controllers.Tests;

/// <summary>Objects and waits the scheduling and node tests share.</summary>
public static class TestObjects
{
    public static async Task<string> NamespaceAsync(KubeClient client, string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}";
        await client.CreateAsync(ApiResource.Namespaces, null, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = new JsonObject { ["name"] = name },
        });
        return name;
    }

    /// <param name="owner">An existing object to name as the pod's controller owner (it must exist, or the garbage collector removes the pod).</param>
    public static JsonObject Pod(string name, string? cpu = null, JsonObject? nodeSelector = null, JsonArray? tolerations = null, JsonObject? owner = null)
    {
        var container = new JsonObject { ["name"] = "app", ["image"] = "nginx:1.27" };
        if (cpu is not null)
            container["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = cpu, ["memory"] = "64Mi" } };
        var spec = new JsonObject { ["containers"] = new JsonArray(container) };
        if (nodeSelector is not null)
            spec["nodeSelector"] = nodeSelector;
        if (tolerations is not null)
            spec["tolerations"] = tolerations;
        var metadata = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["app"] = "test" } };
        if (owner is not null)
        {
            metadata["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = owner["apiVersion"]?.DeepClone(),
                ["kind"] = owner["kind"]?.DeepClone(),
                ["name"] = owner["metadata"]?["name"]?.DeepClone(),
                ["uid"] = owner["metadata"]?["uid"]?.DeepClone(),
                ["controller"] = true,
            });
        }
        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["metadata"] = metadata, ["spec"] = spec };
    }

    public static async Task<JsonObject> WaitPodAsync(KubeClient client, string ns, string name, Func<JsonObject, bool> condition, int seconds = 30)
    {
        JsonObject? pod = null;
        await Eventually.HoldsAsync(async () =>
        {
            pod = await client.GetAsync(ApiResource.Pods, ns, name);
            return condition(pod);
        }, TimeSpan.FromSeconds(seconds), () => pod?.ToJsonString() ?? "(no pod)");
        return pod!;
    }

    public static string? NodeOf(JsonObject pod) => pod.Str("spec", "nodeName");

    public static bool IsBound(JsonObject pod) => !string.IsNullOrEmpty(NodeOf(pod));

    public static bool IsRunningAndReady(JsonObject pod) =>
        pod.Str("status", "phase") == "Running" && pod.Condition("Ready").Str("status") == "True";

    public static async Task<List<JsonObject>> EventsAsync(KubeClient client, string ns, string pod)
    {
        var list = await client.ListAsync(ApiResource.Events, ns);
        return [.. list.Items.Where(e => (e.Str("involvedObject", "name") ?? "") == pod)];
    }
}
