using System.Net;
using System.Text.Json.Nodes;

namespace Orchestrator.Server.Tests.Conformance;

public sealed partial class ConformanceTests
{
    [Theory]
    [MemberData(nameof(ConformanceKinds.All), MemberType = typeof(ConformanceKinds))]
    public async Task StatusSubresourceSeparatesSpecAndStatus(string kind)
    {
        var target = await TargetAsync(kind);
        var ns = await fixture.NamespaceAsync(target);
        var name = ConformanceFixture.UniqueName(target);
        var item = target.Item(ns, name);
        if (!target.HasStatus)
        {
            Assert.True(target.Fixture.Status is null, $"{target.Key} has no status subresource but its row has a status case");
            await fixture.CreateAsync(1, target, ns, name);
            var (code, body, _) = await fixture.SendAsync(2, HttpMethod.Get, $"{item}/status");
            ConformanceFixture.AssertStatus(body, code, HttpStatusCode.NotFound, null, "GET .../status of a kind without it");
            return;
        }
        Assert.True(target.Fixture.Status is not null, $"{target.Key} has a status subresource: its row needs a {nameof(StatusCase)}");
        var (specPointer, specValue, statusPointer, statusValues) = target.Fixture.Status!;
        var created = await fixture.CreateAsync(1, target, ns, name);
        var spec = Json.At(created, specPointer)?.DeepClone();
        var checks = new Checks(target);

        void AssertIgnored(JsonNode? body, string pointer, JsonNode? expected, string what) =>
            Assert.True(Json.Same(Json.At(body, pointer), expected), $"{what}: {pointer} expected {Json.Text(expected)}, got {Json.Text(Json.At(body, pointer))}");

        void AssertOk(HttpStatusCode code, JsonNode? body) =>
            Assert.True(code == HttpStatusCode.OK, $"expected 200, got {(int)code} {body?.ToJsonString()}");

        await checks.RunAsync("PUT of the resource ignores status", async () =>
        {
            var (code, body) = await fixture.UpdateAsync(2, item, o => Json.With(o, statusPointer, statusValues[0]));
            AssertOk(code, body);
            Assert.False(Json.Same(Json.At(body, statusPointer), statusValues[0]), $"{statusPointer} was written through the resource: {body!.ToJsonString()}");
        });

        await checks.RunAsync("merge PATCH of the resource ignores status", async () =>
        {
            var (code, body, _) = await fixture.SendAsync(3, HttpMethod.Patch, item, Json.Patch(statusPointer, statusValues[0]), "application/merge-patch+json");
            AssertOk(code, body);
            Assert.False(Json.Same(Json.At(body, statusPointer), statusValues[0]), $"{statusPointer} was written through the resource: {body!.ToJsonString()}");
        });

        await checks.RunAsync("merge PATCH of .../status changes status and ignores spec", async () =>
        {
            var patch = Json.With(Json.Patch(specPointer, specValue), statusPointer, statusValues[0]);
            var (code, body, _) = await fixture.SendAsync(1, HttpMethod.Patch, $"{item}/status", patch, "application/merge-patch+json");
            AssertOk(code, body);
            AssertIgnored(body, statusPointer, statusValues[0], "status written through .../status");
            AssertIgnored(body, specPointer, spec, "spec written through .../status");
        });

        await checks.RunAsync("PUT of .../status changes status and ignores spec", async () =>
        {
            var (code, body) = await fixture.UpdateAsync(2, $"{item}/status", o => Json.With(Json.With(o, specPointer, specValue), statusPointer, statusValues[1]));
            AssertOk(code, body);
            AssertIgnored(body, statusPointer, statusValues[1], "status written through .../status");
            AssertIgnored(body, specPointer, spec, "spec written through .../status");
        });

        await checks.RunAsync("read back through another replica", async () =>
            AssertIgnored(await fixture.Api.OkAsync(3, HttpMethod.Get, item), specPointer, spec, "stored spec"));
        checks.Verify();
    }
}
