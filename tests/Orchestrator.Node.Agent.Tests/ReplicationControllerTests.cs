using System.Text.Json.Nodes;
using Orchestrator.Client;
using Orchestrator.Testing;
using Xunit;

namespace Orchestrator.Node.Agent.Tests;

/// <summary>A ReplicationController applied with kubectl among other documents, its pods run by the real agents.</summary>
[Collection(AgentCollection.Name)]
public sealed class ReplicationControllerTests(AgentFixture fixture)
{
    private KubeClient Client => fixture.Client;

    private Kubectl Kubectl => Kubectl.For(fixture.Cluster);

    private string Context => fixture.Cluster.ContextOf(fixture.Cluster.Replicas[2]);

    private Task<KubectlResult> RunAsync(string? stdin, params string[] args) =>
        Kubectl.RunAsync(Context, args, stdin, timeout: TimeSpan.FromSeconds(60));

    [Fact]
    public async Task An_applied_rc_runs_two_busybox_pods_and_scaling_it_to_zero_removes_them()
    {
        var ns = await fixture.NamespaceAsync();
        var manifest = $"""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: sleeper-config
            data:
              seconds: "3600"
            ---
            apiVersion: v1
            kind: ReplicationController
            metadata:
              name: sleeper
            spec:
              replicas: 2
              template:
                metadata:
                  labels:
                    app: sleeper
                spec:
                  terminationGracePeriodSeconds: 2
                  containers:
                  - name: main
                    image: {fixture.Image}
                    command: ["sleep", "3600"]
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: sleeper
            spec:
              selector:
                app: sleeper
              ports:
              - port: 80
            """;

        var applied = await RunAsync(manifest, "apply", "-n", ns, "-f", "-");
        Assert.True(applied.Succeeded, applied.ToString());
        Assert.Contains("replicationcontroller/sleeper created", applied.Output);
        Assert.Contains("configmap/sleeper-config created", applied.Output);

        List<JsonObject> pods = [];
        await Eventually.HoldsAsync(async () =>
        {
            pods = [.. (await Client.ListAsync(ApiResource.Pods, ns)).Items];
            return pods.Count == 2 && pods.All(p => p.Str("status", "phase") == "Running");
        }, TimeSpan.FromSeconds(90), () => string.Join("; ", pods.Select(p => $"{p.Name()} {p.Str("spec", "nodeName")} {p.Str("status", "phase")}")));
        Assert.All(pods, p => Assert.Equal("ReplicationController", (string?)p["metadata"]!["ownerReferences"]![0]!["kind"]));
        Assert.All(pods, p => Assert.Contains(p.Str("spec", "nodeName") ?? "", fixture.Agents.Select(a => a.NodeName)));

        // Applying the same documents again changes nothing.
        var again = await RunAsync(manifest, "apply", "-n", ns, "-f", "-");
        Assert.True(again.Succeeded, again.ToString());
        Assert.Contains("replicationcontroller/sleeper unchanged", again.Output);

        var scaled = await RunAsync(null, "scale", "-n", ns, "rc/sleeper", "--replicas=0");
        Assert.True(scaled.Succeeded, scaled.ToString());
        await Eventually.HoldsAsync(async () =>
        {
            pods = [.. (await Client.ListAsync(ApiResource.Pods, ns)).Items];
            return pods.Count == 0;
        }, TimeSpan.FromSeconds(60), () => string.Join("; ", pods.Select(p => $"{p.Name()} {p.Str("status", "phase")} deleting={p.IsDeleting()}")));
        await Eventually.HoldsAsync(async () =>
            (await Client.GetAsync(ApiResource.ReplicationControllers, ns, "sleeper")).Long("status", "replicas") == 0, TimeSpan.FromSeconds(30));
    }
}
