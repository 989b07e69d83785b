using System.Net;
using System.Text.Json.Nodes;

namespace Orchestrator.Server.Tests.Conformance;

public sealed partial class ConformanceTests
{
    private const string ApplyManager = "conformance-apply";

    [Theory]
    [MemberData(nameof(ConformanceKinds.All), MemberType = typeof(ConformanceKinds))]
    public async Task PatchesOfEveryContentType(string kind)
    {
        var target = await TargetAsync(kind);
        var ns = await fixture.NamespaceAsync(target);
        var name = ConformanceFixture.UniqueName(target);
        var (pointer, values) = (target.Fixture.Pointer, target.Fixture.Values);
        var item = target.Item(ns, name);
        await fixture.CreateAsync(1, target, ns, name);
        var checks = new Checks(target);

        await checks.RunAsync("merge patch (application/merge-patch+json)", async () =>
            AssertPatched(await fixture.SendAsync(1, HttpMethod.Patch, item, Json.Patch(pointer, values[1]), "application/merge-patch+json"), pointer, values[1]));

        await checks.RunAsync("JSON patch (application/json-patch+json)", async () =>
            AssertPatched(await fixture.SendAsync(2, HttpMethod.Patch, item,
                new JsonArray(new JsonObject { ["op"] = "replace", ["path"] = pointer, ["value"] = values[2].DeepClone() }), "application/json-patch+json"), pointer, values[2]));

        await checks.RunAsync("strategic merge patch (application/strategic-merge-patch+json)", async () =>
        {
            var response = await fixture.SendAsync(3, HttpMethod.Patch, item, Json.Patch(pointer, values[3]), "application/strategic-merge-patch+json");
            if (target.Fixture.StrategicMerge)
                AssertPatched(response, pointer, values[3]);
            else
                ConformanceFixture.AssertStatus(response.Body, response.Code, HttpStatusCode.UnsupportedMediaType, "UnsupportedMediaType",
                    "strategic merge patch of a custom resource");
        });

        await checks.RunAsync("server-side apply (application/apply-patch+yaml)", async () =>
        {
            var body = Json.Patch(pointer, values[4]);
            body["apiVersion"] = target.ApiVersion;
            body["kind"] = target.Kind;
            Json.With(body, "/metadata/name", JsonValue.Create(name));
            if (ns is not null)
                Json.With(body, "/metadata/namespace", JsonValue.Create(ns));
            var response = await fixture.SendAsync(1, HttpMethod.Patch, $"{item}?fieldManager={ApplyManager}&force=true", body, "application/apply-patch+yaml");
            AssertPatched(response, pointer, values[4]);
            var managers = response.Body!["metadata"]!["managedFields"]?.AsArray() ?? [];
            Assert.True(managers.Any(m => (string?)m!["manager"] == ApplyManager && (string?)m["operation"] == "Apply" && m["fieldsV1"] is JsonObject),
                $"managedFields has an Apply entry of {ApplyManager}: {managers.ToJsonString()}");
        });

        await checks.RunAsync("read back through another replica", async () =>
        {
            var after = await fixture.Api.OkAsync(2, HttpMethod.Get, item);
            Assert.True(Json.Same(Json.At(after, pointer), values[4]), $"{pointer}: expected {Json.Text(values[4])}, got {Json.Text(Json.At(after, pointer))}");
        });
        checks.Verify();
    }

    private static void AssertPatched((HttpStatusCode Code, JsonNode? Body, HttpResponseMessage _) response, string pointer, JsonNode expected)
    {
        Assert.True(response.Code == HttpStatusCode.OK, $"expected 200, got {(int)response.Code} {response.Body?.ToJsonString()}");
        Assert.True(Json.Same(Json.At(response.Body, pointer), expected), $"{pointer}: expected {Json.Text(expected)}, got {Json.Text(Json.At(response.Body, pointer))}");
    }
}
