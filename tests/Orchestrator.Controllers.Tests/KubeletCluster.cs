using System.Text.Json.Nodes;
using Orchestrator.Client;

namespace Orchestrator.Controllers.Tests;

/// <summary>One 3-replica control plane per test class, with nodes node-a and node-b and a <see cref="TestKubelet"/> binding to node-a.</summary>
public sealed class KubeletCluster : IAsyncLifetime
{
    // Its nodes have no kubelet renewing leases: keep the node lifecycle controller from evicting their pods.
    public ControlPlaneCluster ControlPlane { get; } = new(ControlPlaneCluster.WithoutNodeMonitoring);

    public TestKubelet Kubelet { get; private set; } = null!;

    public KubeClient Client => ControlPlane.Client(1);

    public async Task InitializeAsync()
    {
        await ControlPlane.InitializeAsync();
        foreach (var node in new[] { "node-a", "node-b" })
        {
            await Client.CreateAsync(ApiResource.Nodes, null, new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Node",
                ["metadata"] = new JsonObject { ["name"] = node, ["labels"] = new JsonObject { ["kubernetes.io/hostname"] = node } },
            });
        }
        Kubelet = new TestKubelet(ControlPlane.Client(2), "node-a");
    }

    public async Task DisposeAsync()
    {
        // Also after a failed InitializeAsync (xunit still disposes): the replicas must not outlive the test run.
        if (Kubelet is not null)
            await Kubelet.DisposeAsync();
        await ControlPlane.DisposeAsync();
    }

    /// <summary>Parses a JSON literal written in a test.</summary>
    public static JsonObject Json(string text) => (JsonObject)JsonNode.Parse(text)!;

    /// <summary>Replaces %0%, %1%, ... in a JSON template (JSON braces make interpolated raw strings awkward).</summary>
    public static string Fill(string template, params object[] values)
    {
        for (var i = 0; i < values.Length; i++)
            template = template.Replace($"%{i}%", values[i].ToString(), StringComparison.Ordinal);
        return template;
    }
}
