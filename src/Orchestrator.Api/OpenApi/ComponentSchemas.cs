using System.Reflection;
using Microsoft.OpenApi;
using Orchestrator.Api.Schema;

namespace Orchestrator.Api.OpenApi;

/// <summary>
/// Collects components.schemas for one document: every k8s.Models type reachable from the kinds
/// it serves, one schema per type, linked by <c>$ref</c>. References with a description are
/// wrapped as <c>allOf: [$ref]</c>, as kube-apiserver does (OpenAPI 3.0 ignores siblings of $ref).
/// </summary>
internal sealed class ComponentSchemas
{
    public const string PatchSchema = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch";

    private readonly SortedDictionary<string, IOpenApiSchema> _schemas = new(StringComparer.Ordinal);
    private readonly ModelDocumentation _docs;

    public ComponentSchemas(ModelDocumentation docs) => _docs = docs;

    public IDictionary<string, IOpenApiSchema> Schemas => _schemas;

    /// <summary>A bare <c>$ref</c> to <paramref name="model"/>, adding its schema (and those it needs) first.</summary>
    public IOpenApiSchema Reference(Type model) => Ref(Add(model));

    /// <summary>The free-form body of PATCH requests (kube-apiserver's meta/v1 Patch).</summary>
    public IOpenApiSchema PatchReference()
    {
        _schemas.TryAdd(PatchSchema, new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.",
        });
        return Ref(PatchSchema);
    }

    /// <summary>Registers a schema built elsewhere (a custom resource's) under <paramref name="name"/>; returns a reference to it.</summary>
    public IOpenApiSchema AddNamed(string name, IOpenApiSchema schema)
    {
        _schemas[name] = schema;
        return Ref(name);
    }

    private static OpenApiSchemaReference Ref(string name) => new(name);

    private string Add(Type model)
    {
        string name = ModelSchemaNames.Of(model);
        if (_schemas.ContainsKey(name))
        {
            return name;
        }

        var schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = _docs.Of(model),
            Properties = new SortedDictionary<string, IOpenApiSchema>(StringComparer.Ordinal),
        };
        if (ModelTypes.KindOf(model) is { } kind)
        {
            schema.Extensions = new Dictionary<string, IOpenApiExtension>
            {
                [OpenApiExtensions.GroupVersionKind] = OpenApiExtensions.KindList(kind),
            };
        }

        // Registered before its fields are built, so self-references (JSONSchemaProps) terminate.
        _schemas[name] = schema;
        foreach ((string field, PropertyInfo property) in ModelShape.OrderedFieldsOf(model))
        {
            IOpenApiSchema fieldSchema = Field(property.PropertyType, _docs.Of(property));
            if (fieldSchema is OpenApiSchema inline && PatchExtensions.For(model, field) is { } patch)
            {
                inline.Extensions = patch;
            }

            schema.Properties[field] = fieldSchema;
        }

        return name;
    }

    private IOpenApiSchema Field(Type type, string? description)
    {
        ModelShape shape = ModelShape.Of(type);
        return shape.Kind switch
        {
            ModelShapeKind.Model => Wrapped(Add(shape.Element!), description),
            ModelShapeKind.Time => Wrapped(Scalar(ModelSchemaNames.Time, JsonSchemaType.String, "date-time"), description),
            ModelShapeKind.Quantity => Wrapped(Scalar(ModelSchemaNames.Quantity, JsonSchemaType.String, null), description),
            ModelShapeKind.IntOrString => Wrapped(Scalar(ModelSchemaNames.IntOrString, JsonSchemaType.String, "int-or-string"), description),
            ModelShapeKind.Array => new OpenApiSchema { Type = JsonSchemaType.Array, Items = Field(shape.Element!, null), Description = description },
            ModelShapeKind.Map => new OpenApiSchema { Type = JsonSchemaType.Object, AdditionalProperties = Field(shape.Element!, null), Description = description },
            ModelShapeKind.Any => new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = description,
                Extensions = new Dictionary<string, IOpenApiExtension> { [OpenApiExtensions.PreserveUnknownFields] = OpenApiExtensions.True() },
            },
            _ => Primitive(shape.Kind, description),
        };
    }

    /// <summary>kube-apiserver's shape for a reference: a bare $ref, or allOf: [$ref] with a description beside it.</summary>
    private static IOpenApiSchema Wrapped(string name, string? description) =>
        description is null ? Ref(name) : new OpenApiSchema { AllOf = [Ref(name)], Description = description };

    private string Scalar(string name, JsonSchemaType type, string? format)
    {
        _schemas.TryAdd(name, new OpenApiSchema { Type = type, Format = format });
        return name;
    }

    private static OpenApiSchema Primitive(ModelShapeKind kind, string? description) => kind switch
    {
        ModelShapeKind.Boolean => new() { Type = JsonSchemaType.Boolean, Description = description },
        ModelShapeKind.Int32 => new() { Type = JsonSchemaType.Integer, Format = "int32", Description = description },
        ModelShapeKind.Int64 => new() { Type = JsonSchemaType.Integer, Format = "int64", Description = description },
        ModelShapeKind.Double => new() { Type = JsonSchemaType.Number, Format = "double", Description = description },
        ModelShapeKind.Bytes => new() { Type = JsonSchemaType.String, Format = "byte", Description = description },
        _ => new() { Type = JsonSchemaType.String, Description = description },
    };
}
