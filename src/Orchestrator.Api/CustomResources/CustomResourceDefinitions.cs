using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Api.Objects;
using Orchestrator.Api.Registry;
using Orchestrator.Api.Schema;

namespace Orchestrator.Api.CustomResources;

/// <summary>
/// CustomResourceDefinitions (apiextensions.k8s.io/v1) as data: validation of the CRD object itself
/// and the <see cref="ResourceDefinition"/>s it makes the server serve. Transport-free: the server
/// calls these from its CRD strategy and registry.
/// </summary>
public static partial class CustomResourceDefinitions
{
    public const string Group = "apiextensions.k8s.io";

    public const string Kind = "CustomResourceDefinition";

    private static readonly GroupVersionKind ScaleKind = new("autoscaling", "v1", "Scale");

    /// <summary>One resource per served version of a (valid) CRD, in the order the versions are listed.</summary>
    public static ImmutableArray<ResourceDefinition> ResourcesOf(JsonObject crd)
    {
        ArgumentNullException.ThrowIfNull(crd);
        JsonObject spec = crd.Obj("spec") ?? [];
        string group = spec.Str("group") ?? "";
        string kind = spec.Str("names", "kind") ?? "";
        var resources = ImmutableArray.CreateBuilder<ResourceDefinition>();
        foreach (JsonObject version in spec.Items("versions"))
        {
            if (version.Bool("served") != true || version.Str("name") is not { Length: > 0 } name)
            {
                continue;
            }

            CustomResourceVersion custom = VersionOf(version);
            var self = new GroupVersionKind(group, name, kind);
            var subresources = ImmutableArray.CreateBuilder<SubresourceDefinition>();
            if (custom.HasStatus)
            {
                subresources.Add(new SubresourceDefinition { Name = "status", ResponseKind = self, Verbs = Verbs.GetPatchUpdate });
            }

            if (custom.Scale is not null)
            {
                // kubectl scale speaks autoscaling/v1 Scale to every kind, custom ones included.
                subresources.Add(new SubresourceDefinition { Name = "scale", ResponseKind = ScaleKind, Verbs = Verbs.GetPatchUpdate });
            }

            resources.Add(new ResourceDefinition
            {
                Group = group,
                Version = name,
                Kind = kind,
                Plural = spec.Str("names", "plural") ?? "",
                Singular = spec.Str("names", "singular") is { Length: > 0 } singular ? singular : kind.ToLowerInvariant(),
                Namespaced = spec.Str("scope") != "Cluster",
                ShortNames = Strings(spec.At("names", "shortNames")),
                Categories = Strings(spec.At("names", "categories")),
                Subresources = subresources.ToImmutable(),
                Custom = custom,
            });
        }

        return resources.ToImmutable();
    }

    private static CustomResourceVersion VersionOf(JsonObject version)
    {
        StructuralSchema schema = StructuralSchema.Parse(version.At("schema", "openAPIV3Schema") ?? new JsonObject());
        JsonObject? scale = version.Obj("subresources", "scale");
        return new CustomResourceVersion
        {
            Name = version.Str("name") ?? "",
            Storage = version.Bool("storage") == true,
            Schema = schema,
            Columns = [.. version.Items("additionalPrinterColumns").Select(ColumnOf)],
            HasStatus = version.At("subresources", "status") is JsonObject,
            Scale = scale is null
                ? null
                : new ScaleSubresource(scale.Str("specReplicasPath") ?? "", scale.Str("statusReplicasPath") ?? "", scale.Str("labelSelectorPath")),
            PatchSchema = CustomPatchSchema.For(schema),
        };
    }

    private static PrinterColumn ColumnOf(JsonObject column) => new(
        column.Str("name") ?? "",
        column.Str("type") ?? "string",
        column.Str("jsonPath") ?? "",
        column.Str("format") ?? "",
        column.Str("description") ?? "",
        (int)(column.Long("priority") ?? 0));

    private static ImmutableArray<string> Strings(JsonNode? node) =>
        node is JsonArray array
            ? [.. array.OfType<JsonValue>().Where(v => v.GetValueKind() == JsonValueKind.String).Select(v => v.GetValue<string>())]
            : [];
}
