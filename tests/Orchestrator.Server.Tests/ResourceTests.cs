using System.Net;
using System.Text.Json.Nodes;

namespace Orchestrator.Server.Tests;

/// <summary>Create, update, subresources, deletion and errors of the generic handler, over raw HTTPS.</summary>
public sealed class ResourceTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private static readonly JsonObject Deployment = (JsonObject)JsonNode.Parse("""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
         "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
                 "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}
        """)!;

    [Fact]
    public async Task CreateFillsMetadataAndDefaultsAndGenerateName()
    {
        var ns = await fixture.NamespaceAsync();
        var (code, created, _) = await fixture.SendAsync(2, HttpMethod.Post, $"/apis/apps/v1/namespaces/{ns}/deployments", Deployment.DeepClone());
        Assert.Equal(HttpStatusCode.Created, code);
        var metadata = created!["metadata"]!;
        Assert.True(Guid.TryParse((string?)metadata["uid"], out _));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", (string?)metadata["creationTimestamp"]);
        Assert.Equal(1, (int?)metadata["generation"]);
        Assert.Equal(ns, (string?)metadata["namespace"]);
        Assert.Equal("25%", (string?)created["spec"]!["strategy"]!["rollingUpdate"]!["maxSurge"]);
        Assert.Equal("Always", (string?)created["spec"]!["template"]!["spec"]!["containers"]![0]!["imagePullPolicy"]);

        var generated = await fixture.OkAsync(3, HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps",
            new JsonObject { ["metadata"] = new JsonObject { ["generateName"] = "gen-" } });
        Assert.Matches("^gen-[a-z0-9]{5}$", (string?)generated["metadata"]!["name"]);
    }

    [Fact]
    public async Task UpdateKeepsStatusBumpsGenerationOnSpecOnlyAndStatusSubresourceOnlyChangesStatus()
    {
        // An Ingress: a kind with a status subresource and a generation, and no controller writing to it here.
        var ns = await fixture.NamespaceAsync();
        var path = $"/apis/networking.k8s.io/v1/namespaces/{ns}/ingresses";
        var created = await fixture.OkAsync(1, HttpMethod.Post, path, JsonNode.Parse("""
            {"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"web"},
             "spec":{"defaultBackend":{"service":{"name":"web","port":{"number":80}}}}}
            """)!);
        Assert.Equal(1, (int?)created["metadata"]!["generation"]);

        var withStatus = (JsonObject)created.DeepClone();
        withStatus["status"] = JsonNode.Parse("""{"loadBalancer":{"ingress":[{"ip":"192.0.2.7"}]}}""");
        withStatus["spec"] = JsonNode.Parse("""{"defaultBackend":{"service":{"name":"ignored","port":{"number":81}}}}""");
        var afterStatus = await fixture.OkAsync(2, HttpMethod.Put, $"{path}/web/status", withStatus);
        Assert.Equal("192.0.2.7", (string?)afterStatus["status"]!["loadBalancer"]!["ingress"]![0]!["ip"]);
        Assert.Equal("web", (string?)afterStatus["spec"]!["defaultBackend"]!["service"]!["name"]); // the status write left spec alone
        Assert.Equal(1, (int?)afterStatus["metadata"]!["generation"]);

        var labelled = (JsonObject)afterStatus.DeepClone();
        labelled["metadata"]!["labels"] = new JsonObject { ["x"] = "y" };
        labelled["status"] = JsonNode.Parse("""{"loadBalancer":{}}""");
        var afterLabel = await fixture.OkAsync(3, HttpMethod.Put, $"{path}/web", labelled);
        Assert.Equal("192.0.2.7", (string?)afterLabel["status"]!["loadBalancer"]!["ingress"]![0]!["ip"]); // not written through the main resource
        Assert.Equal(1, (int?)afterLabel["metadata"]!["generation"]); // labels are not spec

        var (conflict, status, _) = await fixture.SendAsync(1, HttpMethod.Put, $"{path}/web", labelled); // stale resourceVersion
        Assert.Equal(HttpStatusCode.Conflict, conflict);
        Assert.Equal("Conflict", (string?)status!["reason"]);

        var changed = await fixture.OkAsync(1, HttpMethod.Patch, $"{path}/web",
            JsonNode.Parse("""{"spec":{"defaultBackend":{"service":{"name":"other"}}}}""")!, "application/merge-patch+json");
        Assert.Equal(2, (int?)changed["metadata"]!["generation"]);
    }

    [Fact]
    public async Task ScaleSubresourceReadsAndWritesReplicas()
    {
        var ns = await fixture.NamespaceAsync();
        var path = $"/apis/apps/v1/namespaces/{ns}/deployments";
        await fixture.OkAsync(1, HttpMethod.Post, path, Deployment.DeepClone());
        var scale = await fixture.OkAsync(2, HttpMethod.Get, $"{path}/web/scale");
        Assert.Equal("Scale", (string?)scale["kind"]);
        Assert.Equal("autoscaling/v1", (string?)scale["apiVersion"]);
        Assert.Equal(2, (int?)scale["spec"]!["replicas"]);
        Assert.Equal("app=web", (string?)scale["status"]!["selector"]);
        var patched = await fixture.OkAsync(3, HttpMethod.Patch, $"{path}/web/scale", new JsonObject { ["spec"] = new JsonObject { ["replicas"] = 6 } }, "application/merge-patch+json");
        Assert.Equal(6, (int?)patched["spec"]!["replicas"]);
        Assert.Equal(6, (int?)(await fixture.OkAsync(1, HttpMethod.Get, $"{path}/web"))["spec"]!["replicas"]);
        var (code, _, _) = await fixture.SendAsync(1, HttpMethod.Patch, $"{path}/web/scale", new JsonObject { ["spec"] = new JsonObject { ["replicas"] = -1 } }, "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
    }

    [Fact]
    public async Task DryRunStoresNothing()
    {
        var ns = await fixture.NamespaceAsync();
        var (code, body, _) = await fixture.SendAsync(1, HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps?dryRun=All", ApiFixture.ConfigMap("dry"));
        Assert.Equal(HttpStatusCode.Created, code);
        Assert.Equal("dry", (string?)body!["metadata"]!["name"]);
        var (missing, _, _) = await fixture.SendAsync(2, HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps/dry");
        Assert.Equal(HttpStatusCode.NotFound, missing);
        var (bad, _, _) = await fixture.SendAsync(1, HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps?dryRun=Some", ApiFixture.ConfigMap("dry"));
        Assert.Equal(HttpStatusCode.BadRequest, bad);
    }

    [Fact]
    public async Task ClusterIpsAreUniqueUnderConcurrentCreatesThroughAllReplicas()
    {
        var ns = await fixture.NamespaceAsync();
        var creates = Enumerable.Range(0, 30).Select(i => fixture.OkAsync(i % 3 + 1, HttpMethod.Post, $"/api/v1/namespaces/{ns}/services", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = $"svc-{i}" },
            ["spec"] = new JsonObject { ["ports"] = new JsonArray(new JsonObject { ["port"] = 80 }), ["selector"] = new JsonObject { ["app"] = "x" } },
        }));
        var services = await Task.WhenAll(creates);
        var ips = services.Select(s => (string)s["spec"]!["clusterIP"]!).ToList();
        Assert.Equal(30, ips.Distinct().Count());
        Assert.All(ips, ip => Assert.StartsWith("10.", ip));
        Assert.All(services, s => Assert.Equal(80, (int?)s["spec"]!["ports"]![0]!["targetPort"]));

        var (taken, status, _) = await fixture.SendAsync(2, HttpMethod.Post, $"/api/v1/namespaces/{ns}/services", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "copycat" },
            ["spec"] = new JsonObject { ["clusterIP"] = ips[0], ["ports"] = new JsonArray(new JsonObject { ["port"] = 80 }) },
        });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, taken);
        Assert.Contains("already allocated", (string?)status!["message"]);

        // Deleting a service frees its address for an explicit request.
        await fixture.OkAsync(1, HttpMethod.Delete, $"/api/v1/namespaces/{ns}/services/svc-0");
        var reused = await fixture.OkAsync(3, HttpMethod.Post, $"/api/v1/namespaces/{ns}/services", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "reuse" },
            ["spec"] = new JsonObject { ["clusterIP"] = ips[0], ["ports"] = new JsonArray(new JsonObject { ["port"] = 80 }) },
        });
        Assert.Equal(ips[0], (string?)reused["spec"]!["clusterIP"]);
    }

    [Fact]
    public async Task ChangingServiceTypeAllocatesAndReleasesNodePorts()
    {
        var ns = await fixture.NamespaceAsync();
        var path = $"/api/v1/namespaces/{ns}/services";
        var created = await fixture.OkAsync(1, HttpMethod.Post, path, JsonNode.Parse("""{"metadata":{"name":"np"},"spec":{"type":"NodePort","ports":[{"port":80}]}}""")!);
        var nodePort = (int)created["spec"]!["ports"]![0]!["nodePort"]!;
        Assert.InRange(nodePort, 30000, 32767);

        var clusterIp = await fixture.OkAsync(2, HttpMethod.Patch, $"{path}/np", JsonNode.Parse("""{"spec":{"type":"ClusterIP"}}""")!, "application/merge-patch+json");
        Assert.Null(clusterIp["spec"]!["ports"]![0]!["nodePort"]);
        Assert.Equal((string?)created["spec"]!["clusterIP"], (string?)clusterIp["spec"]!["clusterIP"]);

        // The released port can be asked for by another service.
        var other = await fixture.OkAsync(3, HttpMethod.Post, path, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "np2" },
            ["spec"] = new JsonObject { ["type"] = "NodePort", ["ports"] = new JsonArray(new JsonObject { ["port"] = 81, ["nodePort"] = nodePort }) },
        });
        Assert.Equal(nodePort, (int?)other["spec"]!["ports"]![0]!["nodePort"]);

        var back = await fixture.OkAsync(1, HttpMethod.Patch, $"{path}/np", JsonNode.Parse("""{"spec":{"type":"LoadBalancer"}}""")!, "application/merge-patch+json");
        var newPort = (int)back["spec"]!["ports"]![0]!["nodePort"]!;
        Assert.NotEqual(nodePort, newPort);
        Assert.InRange(newPort, 30000, 32767);
    }

    [Fact]
    public async Task FinalizersHoldDeletionAndBindingAndGracefulPodDeletion()
    {
        var ns = await fixture.NamespaceAsync();
        var cm = ApiFixture.ConfigMap("held");
        cm["metadata"]!["finalizers"] = new JsonArray("example.com/hold");
        var path = $"/api/v1/namespaces/{ns}/configmaps";
        await fixture.OkAsync(1, HttpMethod.Post, path, cm);
        var marked = await fixture.OkAsync(2, HttpMethod.Delete, $"{path}/held");
        Assert.NotNull(marked["metadata"]!["deletionTimestamp"]);
        Assert.NotNull((await fixture.OkAsync(3, HttpMethod.Get, $"{path}/held"))["metadata"]!["deletionTimestamp"]);
        await fixture.OkAsync(3, HttpMethod.Patch, $"{path}/held", new JsonObject { ["metadata"] = new JsonObject { ["finalizers"] = null } }, "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.SendAsync(1, HttpMethod.Get, $"{path}/held")).Code);

        var pods = $"/api/v1/namespaces/{ns}/pods";
        await fixture.OkAsync(1, HttpMethod.Post, pods, JsonNode.Parse("""{"metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"busybox"}]}}""")!);
        var (bound, _, _) = await fixture.SendAsync(2, HttpMethod.Post, $"{pods}/p/binding", JsonNode.Parse("""{"apiVersion":"v1","kind":"Binding","metadata":{"name":"p"},"target":{"kind":"Node","name":"node-1"}}""")!);
        Assert.Equal(HttpStatusCode.Created, bound);
        var pod = await fixture.OkAsync(3, HttpMethod.Get, $"{pods}/p");
        Assert.Equal("node-1", (string?)pod["spec"]!["nodeName"]);
        Assert.Contains(pod["status"]!["conditions"]!.AsArray(), c => (string?)c!["type"] == "PodScheduled" && (string?)c["status"] == "True");
        var (again, status, _) = await fixture.SendAsync(1, HttpMethod.Post, $"{pods}/p/binding", JsonNode.Parse("""{"target":{"name":"node-2"}}""")!);
        Assert.Equal(HttpStatusCode.Conflict, again);
        Assert.Contains("already assigned", (string?)status!["message"]);

        // A bound pod is only marked: its node finishes the deletion (here, with grace 0).
        var deleting = await fixture.OkAsync(2, HttpMethod.Delete, $"{pods}/p");
        Assert.Equal(30, (int?)deleting["metadata"]!["deletionGracePeriodSeconds"]);
        await fixture.OkAsync(2, HttpMethod.Delete, $"{pods}/p", new JsonObject { ["gracePeriodSeconds"] = 0 });
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.SendAsync(3, HttpMethod.Get, $"{pods}/p")).Code);
    }

    [Fact]
    public async Task ListPagesWithContinueAndDeleteCollectionBySelector()
    {
        var ns = await fixture.NamespaceAsync();
        var path = $"/api/v1/namespaces/{ns}/configmaps";
        for (var i = 0; i < 7; i++)
            await fixture.OkAsync(i % 3 + 1, HttpMethod.Post, path, ApiFixture.ConfigMap($"cm-{i}", labels: new JsonObject { ["parity"] = i % 2 == 0 ? "even" : "odd" }));
        var names = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await fixture.OkAsync(pages % 3 + 1, HttpMethod.Get, $"{path}?limit=3" + (token is null ? "" : $"&continue={token}"));
            names.AddRange(page["items"]!.AsArray().Select(i => (string)i!["metadata"]!["name"]!));
            token = (string?)page["metadata"]!["continue"];
            pages++;
        }
        while (token is not null);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"cm-{i}").Append(ApiFixture.RootCaConfigMap), names);
        Assert.Equal(3, pages);

        var (bad, _, _) = await fixture.SendAsync(1, HttpMethod.Get, $"{path}?continue=garbage!");
        Assert.Equal(HttpStatusCode.BadRequest, bad);

        await fixture.OkAsync(2, HttpMethod.Delete, $"{path}?labelSelector=parity%3Deven");
        var left = await fixture.OkAsync(3, HttpMethod.Get, path);
        Assert.Equal(["cm-1", "cm-3", "cm-5", ApiFixture.RootCaConfigMap], left["items"]!.AsArray().Select(i => (string)i!["metadata"]!["name"]!));
    }

    [Fact]
    public async Task DeletingANamespaceRemovesWhatIsInIt()
    {
        var ns = await fixture.NamespaceAsync();
        await fixture.OkAsync(1, HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", ApiFixture.ConfigMap("inside"));
        var held = ApiFixture.ConfigMap("held");
        held["metadata"]!["finalizers"] = new JsonArray("example.com/hold");
        await fixture.OkAsync(1, HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", held);
        await fixture.OkAsync(2, HttpMethod.Post, $"/apis/apps/v1/namespaces/{ns}/deployments", Deployment.DeepClone());
        var deleting = await fixture.OkAsync(3, HttpMethod.Delete, $"/api/v1/namespaces/{ns}");
        Assert.Equal("Terminating", (string?)deleting["status"]!["phase"]);
        // Admission reads this replica's copy of the namespace, which may lag the delete by a moment.
        JsonNode? status = null;
        await Testing.Eventually.HoldsAsync(async () =>
        {
            var (refused, body, _) = await fixture.SendAsync(1, HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", ApiFixture.ConfigMap($"late-{Guid.NewGuid():N}"[..12]));
            status = body;
            return refused == HttpStatusCode.Forbidden;
        }, TimeSpan.FromSeconds(10));
        Assert.Contains("being terminated", (string?)status!["message"]);
        // The finalizer holds its object, and the object holds the namespace.
        await Testing.Eventually.HoldsAsync(async () =>
            (await fixture.OkAsync(2, HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps"))["items"]!.AsArray().Select(i => (string?)i!["metadata"]!["name"]).SequenceEqual(["held"]),
            TimeSpan.FromSeconds(30));
        Assert.NotNull((await fixture.OkAsync(3, HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps/held"))["metadata"]!["deletionTimestamp"]);
        Assert.Equal(HttpStatusCode.OK, (await fixture.SendAsync(2, HttpMethod.Get, $"/api/v1/namespaces/{ns}")).Code);
        await fixture.OkAsync(1, HttpMethod.Patch, $"/api/v1/namespaces/{ns}/configmaps/held", new JsonObject { ["metadata"] = new JsonObject { ["finalizers"] = null } }, "application/merge-patch+json");
        await Testing.Eventually.HoldsAsync(async () => (await fixture.SendAsync(2, HttpMethod.Get, $"/api/v1/namespaces/{ns}")).Code == HttpStatusCode.NotFound, TimeSpan.FromSeconds(30));
        Assert.Empty((await fixture.OkAsync(1, HttpMethod.Get, $"/apis/apps/v1/namespaces/{ns}/deployments"))["items"]!.AsArray());
    }
}
