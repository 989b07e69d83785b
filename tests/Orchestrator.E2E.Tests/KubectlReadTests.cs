using System.Text.Json.Nodes;

namespace Orchestrator.E2E.Tests;

/// <summary>kubectl get in every output form, against each replica, of objects written through another.</summary>
public sealed class KubectlReadTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task GetPrintsTablesAndEveryOutputFormat(int replica)
    {
        var writer = replica % 3 + 1;
        var ns = await fixture.NamespaceAsync(writer);
        await fixture.OkWithInputAsync(writer, Manifests.Deployment("alpha", 2, "nginx:1.25", tier: "front"), "-n", ns, "create", "-f", "-");
        await fixture.OkWithInputAsync(writer, Manifests.Deployment("beta", 1, "nginx:1.26", tier: "back"), "-n", ns, "create", "-f", "-");

        var table = await fixture.OkAsync(replica, "-n", ns, "get", "deployments");
        var lines = table.Trim().Split('\n');
        Assert.Matches(@"^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$", lines[0]);
        // Controllers run (no nodes here, so nothing becomes ready): READY is 0 of the spec's replicas.
        Assert.Matches(@"^alpha\s+0/2\s+\d\s+0\s+\d+s$", lines[1]);
        Assert.Matches(@"^beta\s+0/1\s+", lines[2]);

        var wide = await fixture.OkAsync(replica, "-n", ns, "get", "deploy", "-o", "wide");
        Assert.Contains("nginx:1.25", wide);
        Assert.Contains("app=alpha", wide);

        var yaml = await fixture.OkAsync(replica, "-n", ns, "get", "deployment", "alpha", "-o", "yaml");
        Assert.Contains("kind: Deployment", yaml);
        Assert.Contains("image: nginx:1.25", yaml);
        Assert.Matches(@"resourceVersion: ""\d+""", yaml);

        var json = JsonNode.Parse(await fixture.OkAsync(replica, "-n", ns, "get", "deployment", "beta", "-o", "json"))!;
        Assert.Equal("beta", (string?)json["metadata"]!["name"]);
        Assert.Equal(1, (int?)json["metadata"]!["generation"]);
        Assert.Equal("RollingUpdate", (string?)json["spec"]!["strategy"]!["type"]);

        Assert.Equal("nginx:1.26", await fixture.OkAsync(replica, "-n", ns, "get", "deploy", "beta", "-o", "jsonpath={.spec.template.spec.containers[0].image}"));
        Assert.Equal($"deployment.apps/alpha\ndeployment.apps/beta\n", await fixture.OkAsync(replica, "-n", ns, "get", "deploy", "-o", "name"));

        var labelled = await fixture.OkAsync(replica, "-n", ns, "get", "deploy", "-l", "tier=back", "-o", "name");
        Assert.Equal("deployment.apps/beta\n", labelled);
        var byField = await fixture.OkAsync(replica, "-n", ns, "get", "deploy", "--field-selector", "metadata.name=alpha", "-o", "name");
        Assert.Equal("deployment.apps/alpha\n", byField);

        var all = await fixture.OkAsync(replica, "get", "deployments", "-A");
        Assert.Matches($@"(?m)^{ns}\s+alpha\s+0/2", all);
        Assert.Matches($@"(?m)^{ns}\s+beta\s+0/1", all);

        var chunked = await fixture.OkAsync(replica, "-n", ns, "get", "deploy", "--chunk-size=1", "-o", "name");
        Assert.Equal("deployment.apps/alpha\ndeployment.apps/beta\n", chunked);

        var sorted = await fixture.OkAsync(replica, "-n", ns, "get", "deploy", "--sort-by=.spec.template.spec.containers[0].image", "--no-headers", "-o", "custom-columns=N:.metadata.name");
        Assert.Equal("alpha\nbeta\n", sorted);
        var sortedByTier = await fixture.OkAsync(replica, "-n", ns, "get", "deploy", "--sort-by=.metadata.labels.tier", "--no-headers", "-o", "custom-columns=N:.metadata.name");
        Assert.Equal("beta\nalpha\n", sortedByTier);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task DiscoveryExplainAndDescribe(int replica)
    {
        var resources = await fixture.OkAsync(replica, "api-resources");
        Assert.Matches(@"(?m)^deployments\s+deploy\s+apps/v1\s+true\s+Deployment$", resources);
        Assert.Matches(@"(?m)^pods\s+po\s+v1\s+true\s+Pod$", resources);
        Assert.Matches(@"(?m)^poddisruptionbudgets\s+pdb\s+policy/v1\s+true\s+PodDisruptionBudget$", resources);

        var explain = await fixture.OkAsync(replica, "explain", "pod.spec.containers");
        Assert.Contains("FIELD: containers <[]Container>", explain);
        Assert.Contains("image\t<string>", explain);

        var ns = await fixture.NamespaceAsync(replica);
        await fixture.OkWithInputAsync(replica, Manifests.Deployment("web", 3, "nginx:1.25"), "-n", ns, "create", "-f", "-");
        var describe = await fixture.OkAsync(replica, "-n", ns, "describe", "deployment", "web");
        Assert.Matches(@"Name:\s+web", describe);
        Assert.Matches(@"Replicas:\s+3 desired", describe);
        Assert.Matches(@"Image:\s+nginx:1.25", describe);

        var namespaces = await fixture.OkAsync(replica, "get", "namespaces");
        foreach (var name in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
            Assert.Matches($@"(?m)^{name}\s+Active\s+", namespaces);
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 3)]
    [InlineData(3, 1)]
    public async Task WatchSeesWritesMadeThroughAnotherReplica(int watcher, int writer)
    {
        var ns = await fixture.NamespaceAsync(writer);
        await fixture.OkAsync(writer, "-n", ns, "create", "configmap", "before", "--from-literal=a=1");
        using var watch = fixture.Kubectl.Start(fixture.Context(watcher), "-n", ns, "get", "configmaps", "-w", "--output-watch-events");
        // The watch first lists what exists: wait for it, so later writes are seen as watch events.
        await Testing.Eventually.HoldsAsync(() => Task.FromResult(watch.Lines.Any(l => l.Contains("before"))), TimeSpan.FromSeconds(30), () => watch.Error);

        await fixture.OkAsync(writer, "-n", ns, "create", "configmap", "live", "--from-literal=a=1");
        await fixture.OkAsync(writer, "-n", ns, "label", "configmap", "live", "changed=yes");
        await fixture.OkAsync(writer, "-n", ns, "delete", "configmap", "live");

        await Testing.Eventually.HoldsAsync(
            () => Task.FromResult(watch.Lines.Count(l => l.Contains("live")) >= 3),
            TimeSpan.FromSeconds(30),
            () => string.Join("\n", watch.Lines) + watch.Error);
        var events = watch.Lines.Where(l => l.Contains(" live ")).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]).ToList();
        Assert.Equal(["ADDED", "MODIFIED", "DELETED"], events);
        Assert.Equal("EVENT", watch.Lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]);
    }
}
