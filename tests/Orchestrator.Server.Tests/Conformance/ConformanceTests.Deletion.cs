using System.Net;
using System.Text.Json.Nodes;
using Orchestrator.Testing;

namespace Orchestrator.Server.Tests.Conformance;

public sealed partial class ConformanceTests
{
    private const string SetLabel = "conformance.example.com/set";
    private const string GroupLabel = "conformance.example.com/group";

    [Theory]
    [MemberData(nameof(ConformanceKinds.All), MemberType = typeof(ConformanceKinds))]
    public async Task DryRunStoresNothing(string kind)
    {
        var target = await TargetAsync(kind);
        var ns = await fixture.NamespaceAsync(target);
        var pointer = target.Fixture.Pointer;
        var checks = new Checks(target);

        await checks.RunAsync("create ?dryRun=All", async () =>
        {
            var name = ConformanceFixture.UniqueName(target, "d");
            var (code, body, _) = await fixture.SendAsync(1, HttpMethod.Post, $"{target.Collection(ns)}?dryRun=All", target.Fixture.Make(name, ns));
            Assert.True(code == HttpStatusCode.Created, $"expected 201, got {(int)code} {body?.ToJsonString()}");
            Assert.Equal(name, (string?)body!["metadata"]!["name"]);
            var (after, status, _) = await fixture.SendAsync(2, HttpMethod.Get, target.Item(ns, name));
            ConformanceFixture.AssertStatus(status, after, HttpStatusCode.NotFound, "NotFound", "GET after a dry-run create");
        });

        var kept = ConformanceFixture.UniqueName(target);
        var created = await fixture.CreateAsync(1, target, ns, kept);
        var initial = Json.At(created, pointer)?.DeepClone();

        await checks.RunAsync("update ?dryRun=All", async () =>
        {
            var (code, body) = await fixture.UpdateAsync(2, target.Item(ns, kept), o => Json.With(o, pointer, target.Fixture.Values[0]), "?dryRun=All");
            Assert.True(code == HttpStatusCode.OK, $"expected 200, got {(int)code} {body?.ToJsonString()}");
            Assert.True(Json.Same(Json.At(body, pointer), target.Fixture.Values[0]), $"the answer shows the change: {Json.Text(Json.At(body, pointer))}");
            var after = await fixture.Api.OkAsync(3, HttpMethod.Get, target.Item(ns, kept));
            Assert.True(Json.Same(Json.At(after, pointer), initial), $"stored {pointer}: expected {Json.Text(initial)}, got {Json.Text(Json.At(after, pointer))}");
        });

        await checks.RunAsync("patch ?dryRun=All", async () =>
        {
            var (code, body, _) = await fixture.SendAsync(2, HttpMethod.Patch, $"{target.Item(ns, kept)}?dryRun=All",
                Json.Patch(pointer, target.Fixture.Values[1]), "application/merge-patch+json");
            Assert.True(code == HttpStatusCode.OK, $"expected 200, got {(int)code} {body?.ToJsonString()}");
            var after = await fixture.Api.OkAsync(3, HttpMethod.Get, target.Item(ns, kept));
            Assert.True(Json.Same(Json.At(after, pointer), initial), $"stored {pointer}: expected {Json.Text(initial)}, got {Json.Text(Json.At(after, pointer))}");
        });

        await checks.RunAsync("delete ?dryRun=All", async () =>
        {
            var (code, body, _) = await fixture.SendAsync(3, HttpMethod.Delete, $"{target.Item(ns, kept)}?dryRun=All");
            Assert.True(code == HttpStatusCode.OK, $"expected 200, got {(int)code} {body?.ToJsonString()}");
            var after = await fixture.Api.OkAsync(1, HttpMethod.Get, target.Item(ns, kept));
            Assert.Null(after["metadata"]!["deletionTimestamp"]);
            Assert.Equal((string?)created["metadata"]!["uid"], (string?)after["metadata"]!["uid"]);
        });
        checks.Verify();
    }

    [Theory]
    [MemberData(nameof(ConformanceKinds.All), MemberType = typeof(ConformanceKinds))]
    public async Task DeleteThenNotFound(string kind)
    {
        var target = await TargetAsync(kind);
        var ns = await fixture.NamespaceAsync(target);
        var name = ConformanceFixture.UniqueName(target);
        await fixture.CreateAsync(1, target, ns, name);

        var (code, body, _) = await fixture.SendAsync(2, HttpMethod.Delete, target.Item(ns, name));
        Assert.True(code == HttpStatusCode.OK, $"DELETE: expected 200, got {(int)code} {body?.ToJsonString()}");
        var deletion = target.Fixture.Deletion;
        if (deletion.Graceful)
        {
            Assert.True(body?["metadata"]?["deletionTimestamp"] is not null, $"DELETE answers the marked object: {body?.ToJsonString()}");
            if (deletion.TerminatingPhase is not null)
                Assert.Equal(deletion.TerminatingPhase, (string?)body!["status"]?["phase"]);
            await Eventually.HoldsAsync(async () => (await fixture.SendAsync(3, HttpMethod.Get, target.Item(ns, name))).Code == HttpStatusCode.NotFound,
                FinalizeTimeout, () => $"{target.Kind} {name} still there {FinalizeTimeout} after DELETE");
        }
        var (after, status, _) = await fixture.SendAsync(3, HttpMethod.Get, target.Item(ns, name));
        ConformanceFixture.AssertStatus(status, after, HttpStatusCode.NotFound, "NotFound", "GET after DELETE through another replica");
        Assert.Equal(name, (string?)status!["details"]?["name"]);
    }

    [Theory]
    [MemberData(nameof(ConformanceKinds.All), MemberType = typeof(ConformanceKinds))]
    public async Task DeleteCollectionDeletesOnlyWhatTheSelectorMatches(string kind)
    {
        var target = await TargetAsync(kind);
        var ns = await fixture.NamespaceAsync(target);
        var set = $"s{Guid.NewGuid():N}"[..12];
        var matching = $"{SetLabel}%3D{set},{GroupLabel}%3Dmatch";
        if (!target.DeleteCollection)
        {
            // As in Kubernetes: namespaces have no deletecollection verb.
            var (refused, status, _) = await fixture.SendAsync(2, HttpMethod.Delete, $"{target.Collection(ns)}?labelSelector={matching}");
            ConformanceFixture.AssertStatus(status, refused, HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", "deletecollection of a kind without the verb");
            return;
        }

        JsonObject Labels(string group) => new() { [SetLabel] = set, [GroupLabel] = group };
        var keep = ConformanceFixture.UniqueName(target, "k");
        await fixture.CreateAsync(1, target, ns, ConformanceFixture.UniqueName(target, "m"), Labels("match"));
        await fixture.CreateAsync(3, target, ns, ConformanceFixture.UniqueName(target, "m"), Labels("match"));
        await fixture.CreateAsync(1, target, ns, keep, Labels("keep"));

        var (code, body, _) = await fixture.SendAsync(2, HttpMethod.Delete, $"{target.Collection(ns)}?labelSelector={matching}");
        Assert.True(code == HttpStatusCode.OK, $"deletecollection: expected 200, got {(int)code} {body?.ToJsonString()}");

        async Task<string[]> LeftAsync() =>
            [.. (await fixture.Api.OkAsync(3, HttpMethod.Get, $"{target.Collection(ns)}?labelSelector={SetLabel}%3D{set}"))["items"]!.AsArray()
                .Select(i => (string)i!["metadata"]!["name"]!)];
        if (target.Fixture.Deletion.Graceful)
            await Eventually.HoldsAsync(async () => (await LeftAsync()).Length == 1, FinalizeTimeout);
        Assert.Equal([keep], await LeftAsync());
    }
}
