using System.Text.Json.Nodes;

namespace Orchestrator.Server.Tests;

/// <summary>Watch semantics: replay at RV 0, strictly-after at RV N, selectors, bookmarks, timeouts.</summary>
public sealed class WatchTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task ResourceVersionZeroReplaysThenStreamsWritesFromAnotherReplica()
    {
        var ns = await fixture.NamespaceAsync();
        var path = $"/api/v1/namespaces/{ns}/configmaps";
        await fixture.OkAsync(1, HttpMethod.Post, path, ApiFixture.ConfigMap("a"));
        await fixture.OkAsync(1, HttpMethod.Post, path, ApiFixture.ConfigMap("b"));

        await using var watch = await WatchReader.OpenAsync(fixture.Client(2), $"{path}?watch=true&resourceVersion=0");
        // The namespace's kube-root-ca.crt is replayed too (when replica 2 has applied it already): not this test's.
        async Task<JsonNode?> NextOwnAsync()
        {
            while (true)
            {
                var next = await watch.NextAsync();
                if ((string?)next?["object"]?["metadata"]?["name"] != ApiFixture.RootCaConfigMap)
                    return next;
            }
        }
        var initial = new[] { await NextOwnAsync(), await NextOwnAsync() };
        Assert.All(initial, e => Assert.Equal("ADDED", (string?)e!["type"]));
        Assert.Equal(["a", "b"], initial.Select(e => (string?)e!["object"]!["metadata"]!["name"]));

        var created = await fixture.OkAsync(3, HttpMethod.Post, path, ApiFixture.ConfigMap("c"));
        var updated = await fixture.OkAsync(1, HttpMethod.Patch, $"{path}/c", new JsonObject { ["data"] = new JsonObject { ["key"] = "w" } }, "application/merge-patch+json");
        await fixture.OkAsync(3, HttpMethod.Delete, $"{path}/c");
        var events = new[] { await NextOwnAsync(), await NextOwnAsync(), await NextOwnAsync() };
        Assert.Equal(["ADDED", "MODIFIED", "DELETED"], events.Select(e => (string?)e!["type"]));
        Assert.Equal((string?)created["metadata"]!["resourceVersion"], (string?)events[0]!["object"]!["metadata"]!["resourceVersion"]);
        Assert.Equal((string?)updated["metadata"]!["resourceVersion"], (string?)events[1]!["object"]!["metadata"]!["resourceVersion"]);
        Assert.Equal("w", (string?)events[1]!["object"]!["data"]!["key"]);
        var revisions = events.Select(e => long.Parse((string)e!["object"]!["metadata"]!["resourceVersion"]!)).ToList();
        Assert.Equal(revisions.Order(), revisions);
    }

    [Fact]
    public async Task ResourceVersionNStartsStrictlyAfterN()
    {
        var ns = await fixture.NamespaceAsync();
        var path = $"/api/v1/namespaces/{ns}/configmaps";
        var first = await fixture.OkAsync(1, HttpMethod.Post, path, ApiFixture.ConfigMap("one"));
        await fixture.OkAsync(2, HttpMethod.Post, path, ApiFixture.ConfigMap("two"));
        await fixture.OkAsync(3, HttpMethod.Post, path, ApiFixture.ConfigMap("three"));
        var rv = (string)first["metadata"]!["resourceVersion"]!;
        foreach (var replica in new[] { 1, 2, 3 })
        {
            await using var watch = await WatchReader.OpenAsync(fixture.Client(replica), $"{path}?watch=true&resourceVersion={rv}");
            var names = new[] { await watch.NextAsync(), await watch.NextAsync() }.Select(e => $"{e!["type"]}:{e["object"]!["metadata"]!["name"]}");
            Assert.Equal(["ADDED:two", "ADDED:three"], names);
        }
    }

    [Fact]
    public async Task LabelSelectorTurnsChangesIntoAddedAndDeleted()
    {
        var ns = await fixture.NamespaceAsync();
        var path = $"/api/v1/namespaces/{ns}/configmaps";
        var list = await fixture.OkAsync(1, HttpMethod.Get, path);
        await using var watch = await WatchReader.OpenAsync(fixture.Client(2),
            $"{path}?watch=true&labelSelector=team%3Dblue&resourceVersion={list["metadata"]!["resourceVersion"]}");
        await fixture.OkAsync(1, HttpMethod.Post, path, ApiFixture.ConfigMap("x", labels: new JsonObject { ["team"] = "red" }));
        await fixture.OkAsync(1, HttpMethod.Patch, $"{path}/x", new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["team"] = "blue" } } }, "application/merge-patch+json");
        await fixture.OkAsync(1, HttpMethod.Patch, $"{path}/x", new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["team"] = "green" } } }, "application/merge-patch+json");
        var events = new[] { await watch.NextAsync(), await watch.NextAsync() };
        Assert.Equal(["ADDED:blue", "DELETED:green"], events.Select(e => $"{e!["type"]}:{e["object"]!["metadata"]!["labels"]!["team"]}"));
    }

    [Fact]
    public async Task BookmarksAndTimeoutSeconds()
    {
        var ns = await fixture.NamespaceAsync();
        var path = $"/api/v1/namespaces/{ns}/configmaps";
        var list = await fixture.OkAsync(3, HttpMethod.Get, path);
        var rv = long.Parse((string)list["metadata"]!["resourceVersion"]!);
        await using var watch = await WatchReader.OpenAsync(fixture.Client(3), $"{path}?watch=true&allowWatchBookmarks=true&timeoutSeconds=30&resourceVersion={rv}");
        var bookmark = await watch.NextAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("BOOKMARK", (string?)bookmark!["type"]);
        Assert.Equal("ConfigMap", (string?)bookmark["object"]!["kind"]);
        Assert.True(long.Parse((string)bookmark["object"]!["metadata"]!["resourceVersion"]!) >= rv);

        await using var shortWatch = await WatchReader.OpenAsync(fixture.Client(1), $"{path}?watch=true&timeoutSeconds=1&resourceVersion={rv}");
        var started = DateTime.UtcNow;
        Assert.Null(await shortWatch.NextAsync(TimeSpan.FromSeconds(10)));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(8));
    }

    [Fact]
    public async Task WatchOfOneNamedObjectAsKubectlDeleteWaits()
    {
        var ns = await fixture.NamespaceAsync();
        var path = $"/api/v1/namespaces/{ns}/configmaps";
        await fixture.OkAsync(1, HttpMethod.Post, path, ApiFixture.ConfigMap("keep"));
        await fixture.OkAsync(1, HttpMethod.Post, path, ApiFixture.ConfigMap("gone"));
        await using var watch = await WatchReader.OpenAsync(fixture.Client(2), $"{path}?fieldSelector=metadata.name%3Dgone&watch=true&resourceVersion=0");
        Assert.Equal("ADDED:gone", Describe(await watch.NextAsync()));
        await fixture.OkAsync(1, HttpMethod.Delete, $"{path}/keep");
        await fixture.OkAsync(3, HttpMethod.Delete, $"{path}/gone");
        Assert.Equal("DELETED:gone", Describe(await watch.NextAsync()));
    }

    private static string Describe(JsonObject? e) => $"{e!["type"]}:{e["object"]!["metadata"]!["name"]}";
}
