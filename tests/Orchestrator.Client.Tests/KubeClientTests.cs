using System.Text.Json.Nodes;
using k8s.Models;
using Orchestrator.Api.Errors;
using Xunit;

namespace Orchestrator.Client.Tests;

public sealed class KubeClientTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task CrudRoundTripWrittenThroughOneReplicaIsReadThroughAnother()
    {
        var (writer, reader) = (fixture.Clients[0], fixture.Clients[2]);
        var token = Objects.Timeout();
        var ns = await Objects.NewNamespaceAsync(fixture.Clients[0], token);

        var created = await writer.CreateAsync(ApiResource.ConfigMaps, ns, Objects.ConfigMap(ns, "cm1"), token: token);
        Assert.Equal("cm1", Objects.Name(created));

        var read = await reader.GetAsync(ApiResource.ConfigMaps, ns, "cm1", token);
        Assert.Equal("v", read["data"]!["key"]!.GetValue<string>());

        read["data"]!["key"] = "updated";
        var updated = await reader.UpdateAsync(ApiResource.ConfigMaps, read, token: token);
        Assert.NotEqual(Objects.ResourceVersion(created), Objects.ResourceVersion(updated));

        var patched = await writer.PatchAsync(ApiResource.ConfigMaps, ns, "cm1", PatchType.Merge,
            new JsonObject { ["data"] = new JsonObject { ["other"] = "x" } }, token: token);
        Assert.Equal("updated", patched["data"]!["key"]!.GetValue<string>());
        Assert.Equal("x", patched["data"]!["other"]!.GetValue<string>());

        var list = await reader.ListAsync(ApiResource.ConfigMaps, ns, token: token);
        Assert.Equal(["cm1", Objects.RootCaConfigMap], list.Items.Select(Objects.Name));
        Assert.False(string.IsNullOrEmpty(list.ResourceVersion));

        await writer.DeleteAsync(ApiResource.ConfigMaps, ns, "cm1", new DeleteOptions { PropagationPolicy = "Background" }, token);
        var missing = await Assert.ThrowsAsync<KubeApiException>(() => reader.GetAsync(ApiResource.ConfigMaps, ns, "cm1", token));
        Assert.Equal(404, missing.Code);
        Assert.Equal(StatusReasons.NotFound, missing.Reason);
    }

    [Fact]
    public async Task ListPagesWithLimitAndContinue()
    {
        var client = fixture.Clients[1];
        var token = Objects.Timeout();
        var ns = await Objects.NewNamespaceAsync(fixture.Clients[0], token);
        for (var i = 0; i < 5; i++)
            await client.CreateAsync(ApiResource.ConfigMaps, ns, Objects.ConfigMap(ns, $"cm{i}"), token: token);

        var first = await client.ListAsync(ApiResource.ConfigMaps, ns, new ListOptions { Limit = 2 }, token);
        Assert.Equal(2, first.Items.Count);
        Assert.NotNull(first.Continue);

        var names = new List<string>();
        await foreach (var item in client.ListAllAsync(ApiResource.ConfigMaps, ns, pageSize: 2, token: token))
            names.Add(Objects.Name(item));
        Assert.Equal(["cm0", "cm1", "cm2", "cm3", "cm4", Objects.RootCaConfigMap], names);
    }

    [Fact]
    public async Task TypedPodCreateAndGet()
    {
        var token = Objects.Timeout();
        var ns = await Objects.NewNamespaceAsync(fixture.Clients[0], token);
        var pods = fixture.Clients[0].Resource<V1Pod>();
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = ns, Labels = new Dictionary<string, string> { ["app"] = "web" } },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "busybox" }] },
        };

        var created = await pods.CreateAsync(pod, token: token);
        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));

        var read = await fixture.Clients[2].Resource<V1Pod>().GetAsync(ns, "web", token);
        Assert.Equal("busybox", read.Spec.Containers.Single().Image);
        Assert.Equal("web", read.Metadata.Labels["app"]);

        var (items, _, _) = await pods.ListAsync(ns, new ListOptions { LabelSelector = "app=web" }, token);
        Assert.Equal("web", Assert.Single(items).Metadata.Name);
    }

    [Fact]
    public async Task StaleUpdateIsAConflict()
    {
        var token = Objects.Timeout();
        var ns = await Objects.NewNamespaceAsync(fixture.Clients[0], token);
        var created = await fixture.Clients[0].CreateAsync(ApiResource.ConfigMaps, ns, Objects.ConfigMap(ns, "cm"), token: token);

        var fresh = created.DeepClone().AsObject();
        fresh["data"]!["key"] = "first";
        await fixture.Clients[1].UpdateAsync(ApiResource.ConfigMaps, fresh, token: token);

        var stale = created.DeepClone().AsObject();
        stale["data"]!["key"] = "second";
        var conflict = await Assert.ThrowsAsync<KubeApiException>(() => fixture.Clients[2].UpdateAsync(ApiResource.ConfigMaps, stale, token: token));
        Assert.Equal(409, conflict.Code);
        Assert.Equal(StatusReasons.Conflict, conflict.Reason);
        Assert.Equal("cm", conflict.Status.Details?.Name);
    }

    [Fact]
    public async Task CreatingTwiceIsAlreadyExists()
    {
        var token = Objects.Timeout();
        var ns = await Objects.NewNamespaceAsync(fixture.Clients[0], token);
        await fixture.Clients[0].CreateAsync(ApiResource.ConfigMaps, ns, Objects.ConfigMap(ns, "cm"), token: token);
        var error = await Assert.ThrowsAsync<KubeApiException>(() =>
            fixture.Clients[1].CreateAsync(ApiResource.ConfigMaps, ns, Objects.ConfigMap(ns, "cm"), token: token));
        Assert.Equal(StatusReasons.AlreadyExists, error.Reason);
    }

    [Fact]
    public async Task ServerSideApplyCreatesThenUpdates()
    {
        var token = Objects.Timeout();
        var ns = await Objects.NewNamespaceAsync(fixture.Clients[0], token);
        var apply = new WriteOptions { FieldManager = "tests", Force = true };
        var first = await fixture.Clients[0].PatchAsync(ApiResource.ConfigMaps, ns, "cm", PatchType.Apply, Objects.ConfigMap(ns, "cm", "a"), apply, token: token);
        Assert.Equal("a", first["data"]!["key"]!.GetValue<string>());
        var second = await fixture.Clients[1].PatchAsync(ApiResource.ConfigMaps, ns, "cm", PatchType.Apply, Objects.ConfigMap(ns, "cm", "b"), apply, token: token);
        Assert.Equal("b", second["data"]!["key"]!.GetValue<string>());
    }
}
