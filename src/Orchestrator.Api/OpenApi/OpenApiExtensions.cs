using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Orchestrator.Api.Schema;

namespace Orchestrator.Api.OpenApi;

/// <summary>The Kubernetes vendor extensions kubectl reads, as Microsoft.OpenApi extension values.</summary>
internal static class OpenApiExtensions
{
    public const string GroupVersionKind = "x-kubernetes-group-version-kind";
    public const string Action = "x-kubernetes-action";
    public const string PreserveUnknownFields = "x-kubernetes-preserve-unknown-fields";

    /// <summary>Schemas carry a list of kinds (DeleteOptions serves many); operations a single one.</summary>
    public static IOpenApiExtension KindList(GroupVersionKind gvk) => new JsonNodeExtension(new JsonArray(KindObject(gvk)));

    public static IOpenApiExtension Kind(GroupVersionKind gvk) => new JsonNodeExtension(KindObject(gvk));

    public static IOpenApiExtension String(string value) => new JsonNodeExtension(JsonValue.Create(value));

    public static IOpenApiExtension True() => new JsonNodeExtension(JsonValue.Create(true));

    private static JsonObject KindObject(GroupVersionKind gvk) =>
        new() { ["group"] = gvk.Group, ["version"] = gvk.Version, ["kind"] = gvk.Kind };
}
