using System.Net;
using System.Text.Json.Nodes;

namespace Orchestrator.Server.Tests.Conformance;

/// <summary>
/// The CRUD conformance suite: the same steps for every stored kind of the registry and one custom resource, against one
/// 3-replica cluster over raw HTTPS, each step using different replicas for its writes and reads.
/// </summary>
public sealed partial class ConformanceTests(ConformanceFixture fixture) : IClassFixture<ConformanceFixture>
{
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Graceful deletions (namespaces, CRDs) wait for a controller.</summary>
    private static readonly TimeSpan FinalizeTimeout = TimeSpan.FromSeconds(60);

    private async Task<Target> TargetAsync(string kind)
    {
        var target = ConformanceKinds.Resolve(kind);
        await fixture.PrepareAsync(target);
        return target;
    }

    [Theory]
    [MemberData(nameof(ConformanceKinds.All), MemberType = typeof(ConformanceKinds))]
    public async Task CreateGetListAndWatch(string kind)
    {
        var target = await TargetAsync(kind);
        var ns = await fixture.NamespaceAsync(target);
        var name = ConformanceFixture.UniqueName(target);

        var created = await fixture.CreateAsync(1, target, ns, name);
        var metadata = created["metadata"]!;
        Assert.True(Guid.TryParse((string?)metadata["uid"], out _), $"uid: {metadata["uid"]}");
        Assert.False(string.IsNullOrEmpty((string?)metadata["creationTimestamp"]), "creationTimestamp is set");
        var createdVersion = (string?)metadata["resourceVersion"];
        Assert.False(string.IsNullOrEmpty(createdVersion), "resourceVersion is set");
        Assert.Equal(target.Kind, (string?)created["kind"]);
        Assert.Equal(target.ApiVersion, (string?)created["apiVersion"]);

        var got = await fixture.Api.OkAsync(2, HttpMethod.Get, target.Item(ns, name));
        Assert.Equal((string?)metadata["uid"], (string?)got["metadata"]!["uid"]);

        var list = await fixture.Api.OkAsync(3, HttpMethod.Get, target.Collection(ns));
        var listVersion = (string?)list["metadata"]?["resourceVersion"];
        Assert.False(string.IsNullOrEmpty(listVersion), $"list resourceVersion: {list["metadata"]?.ToJsonString()}");
        Assert.Contains(list["items"]!.AsArray(), i => (string?)i!["metadata"]!["name"] == name);

        var selector = $"fieldSelector=metadata.name%3D{name}";
        await using var fromList = await WatchReader.OpenAsync(fixture.Api.Client(2), $"{target.Collection(ns)}?watch=true&resourceVersion={listVersion}&{selector}");
        await using var fromCreate = await WatchReader.OpenAsync(fixture.Api.Client(3), $"{target.Collection(ns)}?watch=true&resourceVersion={createdVersion}&{selector}");

        var patched = await fixture.Api.OkAsync(3, HttpMethod.Patch, target.Item(ns, name),
            Json.Patch(target.Fixture.Pointer, target.Fixture.Values[0]), "application/merge-patch+json");
        Assert.True(Json.Same(Json.At(patched, target.Fixture.Pointer), target.Fixture.Values[0]), $"patched {target.Fixture.Pointer}: {Json.Text(Json.At(patched, target.Fixture.Pointer))}");
        await fixture.Api.OkAsync(1, HttpMethod.Delete, target.Item(ns, name));

        foreach (var (watch, from) in new[] { (fromList, "the list's resourceVersion"), (fromCreate, "the create's resourceVersion") })
        {
            var events = await ReadUntilAsync(watch, e => (string?)e["type"] == "DELETED", target.Fixture.Deletion.Graceful ? FinalizeTimeout : EventTimeout, $"watch from {from}");
            var summary = string.Join(", ", events.Select(e => $"{e["type"]}:{Json.Text(Json.At(e["object"], target.Fixture.Pointer))}"));
            Assert.True(events.All(e => (string?)e["type"] != "ADDED"), $"watch from {from} starts strictly after it: {summary}");
            Assert.True(events.Any(e => (string?)e["type"] == "MODIFIED" && Json.Same(Json.At(e["object"], target.Fixture.Pointer), target.Fixture.Values[0])),
                $"watch from {from} shows the change: {summary}");
            Assert.Equal((string?)metadata["uid"], (string?)events[^1]["object"]!["metadata"]!["uid"]);
        }
    }

    [Theory]
    [MemberData(nameof(ConformanceKinds.All), MemberType = typeof(ConformanceKinds))]
    public async Task UpdateNeedsTheCurrentResourceVersion(string kind)
    {
        var target = await TargetAsync(kind);
        var ns = await fixture.NamespaceAsync(target);
        var name = ConformanceFixture.UniqueName(target);
        var pointer = target.Fixture.Pointer;
        var created = await fixture.CreateAsync(2, target, ns, name);

        var (code, updated) = await fixture.UpdateAsync(3, target.Item(ns, name), o => Json.With(o, pointer, target.Fixture.Values[0]));
        Assert.True(code == HttpStatusCode.OK, $"PUT with the current resourceVersion: expected 200, got {(int)code} {updated?.ToJsonString()}");
        Assert.NotEqual((string?)created["metadata"]!["resourceVersion"], (string?)updated!["metadata"]!["resourceVersion"]);
        Assert.True(Json.Same(Json.At(updated, pointer), target.Fixture.Values[0]), $"{pointer} after PUT: {Json.Text(Json.At(updated, pointer))}");

        var stale = Json.With((JsonObject)created.DeepClone(), pointer, target.Fixture.Values[1]);
        var (conflict, status, _) = await fixture.SendAsync(1, HttpMethod.Put, target.Item(ns, name), stale);
        ConformanceFixture.AssertStatus(status, conflict, HttpStatusCode.Conflict, "Conflict", "PUT with a stale resourceVersion");
        Assert.Contains("the object has been modified", (string?)status!["message"]);

        var after = await fixture.Api.OkAsync(2, HttpMethod.Get, target.Item(ns, name));
        Assert.True(Json.Same(Json.At(after, pointer), target.Fixture.Values[0]), $"{pointer} after the refused PUT: {Json.Text(Json.At(after, pointer))}");
    }

    /// <summary>Reads events until one matches, failing after the timeout or when the stream ends first.</summary>
    private static async Task<List<JsonObject>> ReadUntilAsync(WatchReader watch, Func<JsonObject, bool> done, TimeSpan timeout, string what)
    {
        var events = new List<JsonObject>();
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var seen = string.Join(", ", events.Select(e => e["type"]));
            var left = deadline - DateTime.UtcNow;
            JsonObject? next = null;
            var timedOut = left <= TimeSpan.Zero;
            if (!timedOut)
            {
                try
                {
                    next = await watch.NextAsync(left);
                }
                catch (OperationCanceledException)
                {
                    timedOut = true;
                }
            }
            Assert.False(timedOut, $"{what}: the awaited event did not come within {timeout}; seen: [{seen}]");
            Assert.True(next is not null, $"{what}: the stream ended before the awaited event; seen: [{seen}]");
            events.Add(next);
            if (done(next))
                return events;
        }
    }
}
