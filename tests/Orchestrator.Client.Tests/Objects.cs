using System.Text.Json.Nodes;

namespace Orchestrator.Client.Tests;

internal static class Objects
{
    /// <summary>Creates a namespace with a fresh name, so tests sharing a cluster do not see each other's objects.</summary>
    public static async Task<string> NewNamespaceAsync(KubeClient client, CancellationToken token)
    {
        var name = "t-" + Guid.NewGuid().ToString("N")[..8];
        await client.CreateAsync(ApiResource.Namespaces, null,
            new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name } }, token: token);
        return name;
    }

    public static JsonObject ConfigMap(string ns, string name, string value = "v") => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["data"] = new JsonObject { ["key"] = value },
    };

    public static string Name(JsonObject obj) => obj["metadata"]!["name"]!.GetValue<string>();

    public static string ResourceVersion(JsonObject obj) => obj["metadata"]!["resourceVersion"]!.GetValue<string>();

    /// <summary>Every wait in these tests is bounded by this.</summary>
    public static CancellationToken Timeout(int seconds = 30) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;
}
