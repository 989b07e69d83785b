using System.Text.Json.Nodes;

namespace Orchestrator.E2E.Tests;

/// <summary>kubectl's write commands against each replica, checked by reading back through another.</summary>
public sealed class KubectlWriteTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private static int Other(int replica) => replica % 3 + 1;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task GeneratorCommandsSendProtobufThatIsDecoded(int replica)
    {
        var ns = await fixture.NamespaceAsync(replica);
        await fixture.OkAsync(replica, "-n", ns, "create", "configmap", "cm", "--from-literal=a=b", "--from-literal=c=d");
        await fixture.OkAsync(replica, "-n", ns, "create", "secret", "generic", "s", "--from-literal=k=v");
        await fixture.OkAsync(replica, "-n", ns, "create", "deployment", "web", "--image=nginx:1.25", "--replicas=3", "--port=80");
        await fixture.OkAsync(replica, "-n", ns, "create", "job", "once", "--image=busybox", "--", "echo", "hi");
        await fixture.OkAsync(replica, "-n", ns, "create", "service", "clusterip", "svc", "--tcp=80:8080");

        var reader = Other(replica);
        Assert.Equal("b d", await fixture.OkAsync(reader, "-n", ns, "get", "cm", "cm", "-o", "jsonpath={.data.a} {.data.c}"));
        Assert.Equal(Convert.ToBase64String("v"u8.ToArray()), await fixture.OkAsync(reader, "-n", ns, "get", "secret", "s", "-o", "jsonpath={.data.k}"));
        Assert.Equal("3 nginx:1.25 80", await fixture.OkAsync(reader, "-n", ns, "get", "deploy", "web",
            "-o", "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].ports[0].containerPort}"));
        var job = JsonNode.Parse(await fixture.OkAsync(reader, "-n", ns, "get", "job", "once", "-o", "json"))!;
        Assert.Equal("echo", (string?)job["spec"]!["template"]!["spec"]!["containers"]![0]!["command"]![0]);
        Assert.NotNull(job["spec"]!["selector"]!["matchLabels"]!["batch.kubernetes.io/controller-uid"]);
        var service = JsonNode.Parse(await fixture.OkAsync(reader, "-n", ns, "get", "svc", "svc", "-o", "json"))!;
        Assert.Equal(8080, (int?)service["spec"]!["ports"]![0]!["targetPort"]);
        Assert.StartsWith("10.", (string?)service["spec"]!["clusterIP"]);
        Assert.Matches(@"Active", await fixture.OkAsync(reader, "get", "namespace", ns));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task ApplyTwiceServerSideApplyAndReplace(int replica)
    {
        var ns = await fixture.NamespaceAsync(replica);
        Assert.Contains("deployment.apps/web created", await fixture.OkWithInputAsync(replica, Manifests.Deployment("web", 2, "nginx:1.25"), "-n", ns, "apply", "-f", "-"));
        Assert.Contains("deployment.apps/web configured", await fixture.OkWithInputAsync(replica, Manifests.Deployment("web", 4, "nginx:1.26"), "-n", ns, "apply", "-f", "-"));
        Assert.Contains("deployment.apps/web unchanged", await fixture.OkWithInputAsync(replica, Manifests.Deployment("web", 4, "nginx:1.26"), "-n", ns, "apply", "-f", "-"));
        var reader = Other(replica);
        Assert.Equal("4 nginx:1.26 2", await fixture.OkAsync(reader, "-n", ns, "get", "deploy", "web",
            "-o", "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image} {.metadata.generation}"));

        // Server-side apply: creates, records its manager, and conflicts with another manager's field.
        Assert.Contains("configmap/ssa serverside-applied", await fixture.OkWithInputAsync(replica, Manifests.ConfigMap("ssa", "one"), "-n", ns, "apply", "--server-side", "-f", "-"));
        var managers = await fixture.OkAsync(reader, "-n", ns, "get", "cm", "ssa", "--show-managed-fields", "-o", "jsonpath={.metadata.managedFields[*].manager}:{.metadata.managedFields[*].operation}");
        Assert.Equal("kubectl:Apply", managers);
        await fixture.OkAsync(reader, "-n", ns, "patch", "cm", "ssa", "--type=merge", "-p", """{"data":{"key":"patched"}}""");
        var conflict = await fixture.FailsAsync(replica, Manifests.ConfigMap("ssa", "two"), "-n", ns, "apply", "--server-side", "-f", "-");
        Assert.Contains("Apply failed with 1 conflict: conflict with \"kubectl-patch\"", conflict);
        Assert.Contains(".data.key", conflict);
        await fixture.OkWithInputAsync(replica, Manifests.ConfigMap("ssa", "two"), "-n", ns, "apply", "--server-side", "--force-conflicts", "-f", "-");
        Assert.Equal("two", await fixture.OkAsync(reader, "-n", ns, "get", "cm", "ssa", "-o", "jsonpath={.data.key}"));

        // replace with a stale resourceVersion is a 409 with Kubernetes' message.
        var stale = await fixture.OkAsync(replica, "-n", ns, "get", "cm", "ssa", "-o", "yaml");
        await fixture.OkAsync(reader, "-n", ns, "patch", "cm", "ssa", "--type=merge", "-p", """{"data":{"key":"newer"}}""");
        var replaced = await fixture.FailsAsync(replica, stale, "-n", ns, "replace", "-f", "-");
        Assert.Contains("Error from server (Conflict)", replaced);
        Assert.Contains("Operation cannot be fulfilled on configmaps \"ssa\": the object has been modified; please apply your changes to the latest version and try again", replaced);
        var fresh = await fixture.OkAsync(replica, "-n", ns, "get", "cm", "ssa", "-o", "yaml");
        Assert.Contains("configmap/ssa replaced", await fixture.OkWithInputAsync(replica, fresh.Replace("key: newer", "key: replaced"), "-n", ns, "replace", "-f", "-"));
        Assert.Equal("replaced", await fixture.OkAsync(reader, "-n", ns, "get", "cm", "ssa", "-o", "jsonpath={.data.key}"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task PatchLabelAnnotateScaleAndDelete(int replica)
    {
        var ns = await fixture.NamespaceAsync(replica);
        await fixture.OkWithInputAsync(replica, Manifests.Deployment("web", 1, "nginx:1.25"), "-n", ns, "create", "-f", "-");
        await fixture.OkAsync(replica, "-n", ns, "patch", "deploy", "web", "-p",
            """{"spec":{"template":{"spec":{"containers":[{"name":"main","image":"nginx:1.27"},{"name":"side","image":"busybox"}]}}}}""");
        await fixture.OkAsync(replica, "-n", ns, "patch", "deploy", "web", "--type=merge", "-p", """{"spec":{"paused":true}}""");
        await fixture.OkAsync(replica, "-n", ns, "patch", "deploy", "web", "--type=json", "-p", """[{"op":"add","path":"/spec/minReadySeconds","value":5},{"op":"replace","path":"/spec/revisionHistoryLimit","value":3}]""");
        await fixture.OkAsync(replica, "-n", ns, "label", "deploy", "web", "owner=team-a");
        await fixture.OkAsync(replica, "-n", ns, "annotate", "deploy", "web", "note=hello");
        Assert.Contains("deployment.apps/web scaled", await fixture.OkAsync(replica, "-n", ns, "scale", "deploy", "web", "--replicas=7"));

        var reader = Other(replica);
        var deployment = JsonNode.Parse(await fixture.OkAsync(reader, "-n", ns, "get", "deploy", "web", "-o", "json"))!;
        var containers = deployment["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal(["main:nginx:1.27", "side:busybox"], containers.Select(c => $"{c!["name"]}:{c["image"]}"));
        Assert.Equal(8080, (int?)containers[0]!["ports"]![0]!["containerPort"]); // strategic merge kept the port
        Assert.True((bool?)deployment["spec"]!["paused"]);
        Assert.Equal(5, (int?)deployment["spec"]!["minReadySeconds"]);
        Assert.Equal(3, (int?)deployment["spec"]!["revisionHistoryLimit"]);
        Assert.Equal(7, (int?)deployment["spec"]!["replicas"]);
        Assert.Equal("team-a", (string?)deployment["metadata"]!["labels"]!["owner"]);
        Assert.Equal("hello", (string?)deployment["metadata"]!["annotations"]!["note"]);
        Assert.True((int?)deployment["metadata"]!["generation"] >= 4);

        Assert.Contains("deployment.apps \"web\" deleted", await fixture.OkAsync(replica, "-n", ns, "delete", "deploy", "web"));
        var afterDelete = await fixture.Kubectl.RunAsync(fixture.Context(reader), "-n", ns, "get", "deploy", "web");
        Assert.Contains("Error from server (NotFound): deployments.apps \"web\" not found", afterDelete.Error);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task ErrorsArePrintedAsKubernetesStatus(int replica)
    {
        var ns = await fixture.NamespaceAsync(replica);
        Assert.Contains("Error from server (NotFound): pods \"missing\" not found", await fixture.FailsAsync(replica, null, "-n", ns, "get", "pod", "missing"));
        await fixture.OkAsync(replica, "-n", ns, "create", "configmap", "dup");
        Assert.Contains("configmaps \"dup\" already exists", await fixture.FailsAsync(replica, null, "-n", ns, "create", "configmap", "dup"));
        Assert.Contains("Error from server (AlreadyExists): error when creating \"STDIN\": configmaps \"dup\" already exists",
            await fixture.FailsAsync(replica, Manifests.ConfigMap("dup", "x"), "-n", ns, "create", "-f", "-"));

        const string invalidPod = """
            apiVersion: v1
            kind: Pod
            metadata: {name: Bad_Name}
            spec:
              containers: [{name: c, resources: {limits: {cpu: lots}}}]
            """;
        var invalid = await fixture.FailsAsync(replica, invalidPod, "-n", ns, "create", "-f", "-");
        Assert.Contains("The Pod \"Bad_Name\" is invalid", invalid);
        Assert.Contains("metadata.name: Invalid value: \"Bad_Name\"", invalid);
        Assert.Contains("spec.containers[0].image: Required value", invalid);
        Assert.Contains("spec.containers[0].resources.limits[cpu]: Invalid value: \"lots\"", invalid);

        const string unknownField = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: strict}
            datta: {a: b}
            """;
        Assert.Contains("strict decoding error: unknown field \"datta\"", await fixture.FailsAsync(replica, unknownField, "-n", ns, "create", "-f", "-"));

        const string badSecret = """
            apiVersion: v1
            kind: Secret
            metadata: {name: notbase64}
            data: {k: "***"}
            """;
        Assert.Contains("data[k]: Invalid value", await fixture.FailsAsync(replica, badSecret, "-n", ns, "create", "-f", "-"));
        Assert.Contains("Error from server (NotFound): error when creating \"STDIN\": namespaces \"nowhere\" not found",
            await fixture.FailsAsync(replica, Manifests.ConfigMap("x", "y"), "-n", "nowhere", "create", "-f", "-"));
    }
}
