using System.Text.Json.Nodes;
using Orchestrator.Client;
using Orchestrator.Client.Config;

namespace Orchestrator.Api.Benchmarks;

/// <summary>What every benchmark needs: a client per caller, each bound to one replica, and small valid objects.</summary>
internal sealed class Bench(IReadOnlyList<Kubeconfig> replicas)
{
    public int ReplicaCount => replicas.Count;

    /// <summary>A new client (own connection pool) to replica <paramref name="index"/> (0-based).</summary>
    public KubeClient NewClient(int index) =>
        new(replicas[index], new KubeClientOptions { RequestTimeout = TimeSpan.FromSeconds(60) });

    public static async Task CreateNamespaceAsync(KubeClient client, string name, CancellationToken token) =>
        await client.CreateAsync(ApiResource.Namespaces, null,
            new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name } }, token: token);

    public static JsonObject Pod(string ns, string name) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = new JsonObject { ["app"] = "bench" } },
        ["spec"] = new JsonObject
        {
            ["containers"] = new JsonArray(new JsonObject { ["name"] = "main", ["image"] = "busybox:1.36" }),
        },
    };

    public static JsonObject ConfigMap(string ns, string name, string value) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["data"] = new JsonObject { ["value"] = value },
    };

    public static bool IsRequestFailure(Exception e) => e is KubeApiException or HttpRequestException or TimeoutException or IOException;
}
