using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;
using Microsoft.OpenApi;
using Orchestrator.Api.CustomResources;
using Orchestrator.Api.Registry;

namespace Orchestrator.Api.OpenApi;

/// <summary>
/// The OpenAPI schema of a custom resource, as apiextensions-apiserver publishes it: the CRD
/// version's openAPIV3Schema with apiVersion, kind and a metadata reference to ObjectMeta added
/// at the root, tagged with x-kubernetes-group-version-kind, plus its List. Named like kube's
/// (<c>com.example.v1.Database</c>), so <c>kubectl explain databases.spec</c> finds it.
/// </summary>
internal static class CustomResourceSchemas
{
    private const string ApiVersionDescription =
        "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources";

    private const string KindDescription =
        "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds";

    private const string MetadataDescription =
        "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

    /// <summary>"com.example.v1.Database": the group reversed, then version and kind.</summary>
    public static string NameOf(ResourceDefinition resource, string kind) =>
        string.Join('.', resource.Group.Split('.').Reverse()) + $".{resource.Version}.{kind}";

    /// <summary>Adds the resource's schema and its list's to <paramref name="schemas"/>; returns references to both.</summary>
    public static (IOpenApiSchema Self, IOpenApiSchema List) Add(ComponentSchemas schemas, ResourceDefinition resource, CustomResourceVersion custom)
    {
        string name = NameOf(resource, resource.Kind);
        OpenApiSchema root = Convert(custom.Schema.Source);
        root.Type = JsonSchemaType.Object;
        root.Properties ??= new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
        root.Properties["apiVersion"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = ApiVersionDescription };
        root.Properties["kind"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = KindDescription };
        root.Properties["metadata"] = new OpenApiSchema { AllOf = [schemas.Reference(typeof(V1ObjectMeta))], Description = MetadataDescription };
        root.Extensions ??= new Dictionary<string, IOpenApiExtension>(StringComparer.Ordinal);
        root.Extensions[OpenApiExtensions.GroupVersionKind] = OpenApiExtensions.KindList(resource.GroupVersionKind);
        IOpenApiSchema self = schemas.AddNamed(name, root);

        var list = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = $"{resource.ListKind} is a list of {resource.Kind}",
            Required = new HashSet<string>(StringComparer.Ordinal) { "items" },
            Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
            {
                ["apiVersion"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = ApiVersionDescription },
                ["items"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = self },
                ["kind"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = KindDescription },
                ["metadata"] = new OpenApiSchema { AllOf = [schemas.Reference(typeof(V1ListMeta))], Description = MetadataDescription },
            },
            Extensions = new Dictionary<string, IOpenApiExtension>(StringComparer.Ordinal)
            {
                [OpenApiExtensions.GroupVersionKind] = OpenApiExtensions.KindList(new(resource.Group, resource.Version, resource.ListKind)),
            },
        };
        return (self, schemas.AddNamed(NameOf(resource, resource.ListKind), list));
    }

    /// <summary>One schema node of the CRD, keywords and x-kubernetes-* extensions carried over.</summary>
    private static OpenApiSchema Convert(JsonObject source)
    {
        var schema = new OpenApiSchema
        {
            Type = TypeOf(source),
            Format = Text(source, "format"),
            Description = Text(source, "description"),
            Pattern = Text(source, "pattern"),
            // Microsoft.OpenApi keeps an exclusive bound as its value and writes 3.0's boolean form from it.
            Minimum = Flag(source, "exclusiveMinimum") ? null : Number(source, "minimum"),
            ExclusiveMinimum = Flag(source, "exclusiveMinimum") ? Number(source, "minimum") : null,
            Maximum = Flag(source, "exclusiveMaximum") ? null : Number(source, "maximum"),
            ExclusiveMaximum = Flag(source, "exclusiveMaximum") ? Number(source, "maximum") : null,
            MultipleOf = source["multipleOf"] is JsonValue m && JsonNumbersDecimal(m) is { } multiple ? multiple : null,
            MinLength = Int(source, "minLength"),
            MaxLength = Int(source, "maxLength"),
            MinItems = Int(source, "minItems"),
            MaxItems = Int(source, "maxItems"),
            MinProperties = Int(source, "minProperties"),
            MaxProperties = Int(source, "maxProperties"),
            Default = source["default"]?.DeepClone(),
        };
        if (source["properties"] is JsonObject properties)
        {
            schema.Properties = properties.ToDictionary(p => p.Key, p => (IOpenApiSchema)Convert(p.Value as JsonObject ?? []), StringComparer.Ordinal);
        }

        if (source["items"] is JsonObject items)
        {
            schema.Items = Convert(items);
        }

        switch (source["additionalProperties"])
        {
            case JsonObject additional:
                schema.AdditionalProperties = Convert(additional);
                break;
            case JsonValue allowed when allowed.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                schema.AdditionalPropertiesAllowed = allowed.GetValue<bool>();
                break;
        }

        if (source["required"] is JsonArray required)
        {
            schema.Required = new HashSet<string>(required.OfType<JsonValue>().Select(v => v.ToString()), StringComparer.Ordinal);
        }

        if (source["enum"] is JsonArray values)
        {
            schema.Enum = [.. values.Select(v => v?.DeepClone() ?? JsonValue.Create((string?)null)!)];
        }

        foreach ((string branch, Action<OpenApiSchema, List<IOpenApiSchema>> set) in Branches)
        {
            if (source[branch] is JsonArray array)
            {
                set(schema, [.. array.Select(b => (IOpenApiSchema)Convert(b as JsonObject ?? []))]);
            }
        }

        if (source["not"] is JsonObject not)
        {
            schema.Not = Convert(not);
        }

        var extensions = source.Where(p => p.Key.StartsWith("x-kubernetes-", StringComparison.Ordinal) && p.Value is not null).ToList();
        if (extensions.Count > 0)
        {
            schema.Extensions = extensions.ToDictionary(
                p => p.Key, p => (IOpenApiExtension)new JsonNodeExtension(p.Value!.DeepClone()), StringComparer.Ordinal);
        }

        return schema;
    }

    private static readonly (string, Action<OpenApiSchema, List<IOpenApiSchema>>)[] Branches =
    [
        ("allOf", (s, b) => s.AllOf = b),
        ("anyOf", (s, b) => s.AnyOf = b),
        ("oneOf", (s, b) => s.OneOf = b),
    ];

    private static JsonSchemaType? TypeOf(JsonObject source)
    {
        JsonSchemaType? type = Text(source, "type") switch
        {
            "object" => JsonSchemaType.Object,
            "array" => JsonSchemaType.Array,
            "string" => JsonSchemaType.String,
            "integer" => JsonSchemaType.Integer,
            "number" => JsonSchemaType.Number,
            "boolean" => JsonSchemaType.Boolean,
            _ => null,
        };

        // OpenAPI 3.0 writes a nullable type as "nullable: true" beside it.
        return type is { } t && source["nullable"] is JsonValue n && n.GetValueKind() == JsonValueKind.True ? t | JsonSchemaType.Null : type;
    }

    private static string? Text(JsonObject source, string name) =>
        source[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static bool Flag(JsonObject source, string name) =>
        source[name] is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    private static string? Number(JsonObject source, string name) =>
        source[name] is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.ToJsonString() : null;

    private static decimal? JsonNumbersDecimal(JsonValue v) =>
        v.GetValueKind() == JsonValueKind.Number && decimal.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out decimal d) ? d : null;

    private static int? Int(JsonObject source, string name) =>
        source[name] is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            && int.TryParse(v.ToJsonString(), NumberStyles.None, CultureInfo.InvariantCulture, out int n)
            ? n
            : null;
}
