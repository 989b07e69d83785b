using System.Text.Json.Nodes;
using Orchestrator.Testing;

namespace Orchestrator.Client.Tests;

internal static class Objects
{
    /// <summary>Creates a namespace with a fresh name, so tests sharing a cluster do not see each other's objects.</summary>
    public static async Task<string> NewNamespaceAsync(KubeClient client, CancellationToken token)
    {
        var name = "t-" + Guid.NewGuid().ToString("N")[..8];
        await client.CreateAsync(ApiResource.Namespaces, null,
            new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name } }, token: token);
        // Returned once the root-CA publisher has put kube-root-ca.crt in it (as kube's e2e framework waits), so a
        // test's counts and watches start from a namespace nothing else writes to.
        await Eventually.HoldsAsync(async () =>
        {
            await client.GetAsync(ApiResource.ConfigMaps, name, RootCaConfigMap, token);
            return true;
        }, TimeSpan.FromSeconds(30), () => $"no {RootCaConfigMap} in {name}");
        return name;
    }

    /// <summary>The ConfigMap every namespace holds.</summary>
    public const string RootCaConfigMap = "kube-root-ca.crt";

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
