using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Api.Registry;

namespace Orchestrator.Server.Tests.Conformance;

public sealed partial class ConformanceTests
{
    [Theory]
    [MemberData(nameof(ConformanceKinds.All), MemberType = typeof(ConformanceKinds))]
    public async Task BadInputGetsAStatus(string kind)
    {
        var target = await TargetAsync(kind);
        var ns = await fixture.NamespaceAsync(target);
        var checks = new Checks(target);

        await checks.RunAsync($"POST of a body of another kind ({target.OtherKind})", async () =>
        {
            var body = target.Fixture.Make(ConformanceFixture.UniqueName(target), ns);
            body["kind"] = target.OtherKind;
            var (code, status, _) = await fixture.SendAsync(1, HttpMethod.Post, target.Collection(ns), body);
            if (target.Fixture.WrongKindIsInvalid)
            {
                ConformanceFixture.AssertStatus(status, code, HttpStatusCode.UnprocessableEntity, "Invalid", "wrong kind in the body");
                Assert.Contains(status!["details"]?["causes"]?.AsArray() ?? [], c => (string?)c?["field"] == "kind");
            }
            else
            {
                ConformanceFixture.AssertStatus(status, code, HttpStatusCode.BadRequest, "BadRequest", "wrong kind in the body");
            }
        });

        await checks.RunAsync("GET of an unknown name", async () =>
        {
            var name = ConformanceFixture.UniqueName(target, "missing");
            var (code, status, _) = await fixture.SendAsync(2, HttpMethod.Get, target.Item(ns, name));
            ConformanceFixture.AssertStatus(status, code, HttpStatusCode.NotFound, "NotFound", "GET of an unknown name");
            Assert.Equal(name, (string?)status!["details"]?["name"]);
            Assert.Contains($"\"{name}\" not found", (string?)status["message"]);
        });

        await checks.RunAsync("DELETE of an unknown name", async () =>
        {
            var (code, status, _) = await fixture.SendAsync(3, HttpMethod.Delete, target.Item(ns, ConformanceFixture.UniqueName(target, "missing")));
            ConformanceFixture.AssertStatus(status, code, HttpStatusCode.NotFound, "NotFound", "DELETE of an unknown name");
        });

        await checks.RunAsync("POST of malformed JSON", async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, target.Collection(ns))
            {
                Content = new StringContent($$"""{"apiVersion":"{{target.ApiVersion}}","kind":"{{target.Kind}}","metadata":{"name":""", Encoding.UTF8, "application/json"),
            };
            using var response = await fixture.Api.Client(3).SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            JsonNode? status = null;
            try
            {
                status = JsonNode.Parse(text);
            }
            catch (System.Text.Json.JsonException)
            {
            }
            ConformanceFixture.AssertStatus(status, response.StatusCode, HttpStatusCode.BadRequest, "BadRequest", $"malformed JSON (answer: {text})");
        });
        checks.Verify();
    }

    /// <summary>Query booleans are parsed like Go's strconv.ParseBool (1, t, T, TRUE, true, True and the false forms).</summary>
    [Theory]
    [InlineData("watch=True")]
    [InlineData("watch=1")]
    [InlineData("watch=t")]
    [InlineData("watch=T")]
    [InlineData("watch=TRUE")]
    public async Task QueryBooleansParseLikeGo(string query)
    {
        var ns = await fixture.Api.NamespaceAsync();
        var path = $"/api/v1/namespaces/{ns}/configmaps";
        var listVersion = (string?)(await fixture.Api.OkAsync(1, HttpMethod.Get, path))["metadata"]!["resourceVersion"];
        using var response = await fixture.Api.Client(2).SendAsync(
            new HttpRequestMessage(HttpMethod.Get, $"{path}?{query}&resourceVersion={listVersion}"), HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode != HttpStatusCode.OK)
            Assert.Fail($"?{query}: expected 200 and a watch, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        await fixture.Api.OkAsync(3, HttpMethod.Post, path, ApiFixture.ConfigMap("watched"));
        using var deadline = new CancellationTokenSource(EventTimeout);
        string? line;
        try
        {
            line = await reader.ReadLineAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            line = null;
        }
        Assert.True(line is not null, $"?{query}: no event within {EventTimeout}");
        var first = JsonNode.Parse(line)!;
        Assert.True((string?)first["type"] == "ADDED" && (string?)first["object"]?["metadata"]?["name"] == "watched",
            $"?{query} is a watch: expected an ADDED event of the new configmap, got {line[..Math.Min(line.Length, 400)]}");
    }

    /// <summary>allowWatchBookmarks in Go's forms: a quiet watch gets a BOOKMARK (this server sends one every 5 s).</summary>
    [Theory]
    [InlineData("True")]
    [InlineData("1")]
    [InlineData("t")]
    public async Task AllowWatchBookmarksParsesLikeGo(string value)
    {
        var ns = await fixture.Api.NamespaceAsync();
        var path = $"/api/v1/namespaces/{ns}/configmaps";
        var listVersion = (string?)(await fixture.Api.OkAsync(3, HttpMethod.Get, path))["metadata"]!["resourceVersion"];
        await using var watch = await WatchReader.OpenAsync(fixture.Api.Client(1),
            $"{path}?watch=true&allowWatchBookmarks={value}&timeoutSeconds=30&resourceVersion={listVersion}");
        JsonObject? first = null;
        try
        {
            first = await watch.NextAsync(TimeSpan.FromSeconds(12));
        }
        catch (OperationCanceledException)
        {
        }
        Assert.True((string?)first?["type"] == "BOOKMARK", $"allowWatchBookmarks={value}: expected a BOOKMARK within 12 s, got {first?.ToJsonString() ?? "nothing"}");
    }

    [Theory]
    [InlineData("watch=yes")]
    [InlineData("watch=on")]
    [InlineData("watch=true&allowWatchBookmarks=yes")]
    public async Task QueryBooleansGoCannotParseAre400(string query)
    {
        var ns = await fixture.Api.NamespaceAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps?{query}");
        using var cancel = new CancellationTokenSource(EventTimeout);
        using var response = await fixture.Api.Client(1).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        if (response.StatusCode == HttpStatusCode.OK)
            Assert.Fail($"?{query}: expected 400, got 200 ({response.Content.Headers.ContentType})");
        var text = await response.Content.ReadAsStringAsync(cancel.Token);
        ConformanceFixture.AssertStatus(JsonNode.Parse(text), response.StatusCode, HttpStatusCode.BadRequest, "BadRequest", $"?{query}");
    }

    /// <summary>The table is consistent with the registry: rows of registered kinds only, status cases where there is a status subresource.</summary>
    [Fact]
    public void TheTableMatchesTheRegistry()
    {
        var registered = BuiltInResources.All.ToDictionary(ConformanceKinds.Key);
        var problems = new List<string>();
        foreach (var key in registered.Keys.Where(k => KindTable.Find(k) is null))
            problems.Add($"{key}: registered, no row");
        foreach (var row in KindTable.Rows)
        {
            // The CRD row is ready for the kind being added in parallel; the widget row is the custom resource case.
            if (!registered.TryGetValue(row.Resource, out var definition) && row.Resource != KindTable.CustomResourceDefinitions && row.Resource != KindTable.Widgets)
                problems.Add($"{row.Resource}: a row for a kind nobody registers");
            if (definition is not null && (definition.FindSubresource("status") is not null) != (row.Status is not null))
                problems.Add($"{row.Resource}: status subresource {definition.FindSubresource("status") is not null}, status case {row.Status is not null}");
            if (row.Values.Length != 5)
                problems.Add($"{row.Resource}: {row.Values.Length} mutation values, 5 wanted");
            var made = row.Make(row.Name("probe"), definition?.Namespaced == false ? null : "ns");
            var values = new[] { Json.At(made, row.Pointer) }.Concat(row.Values).ToArray();
            if (values[0] is null)
                problems.Add($"{row.Resource}: the made object has nothing at {row.Pointer}");
            for (var i = 1; i < values.Length; i++)
            {
                if (Json.Same(values[i - 1], values[i]))
                    problems.Add($"{row.Resource}: mutation values {i - 1} and {i} are equal");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
