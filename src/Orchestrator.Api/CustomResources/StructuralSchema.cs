using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Orchestrator.Api.CustomResources;

/// <summary>
/// One node of a CRD version's openAPIV3Schema, parsed once into typed fields so that validating,
/// defaulting and pruning a custom resource walk a tree instead of re-reading JSON per request.
/// The root describes the whole object; children are reached through <see cref="Properties"/>,
/// <see cref="Items"/> and <see cref="AdditionalProperties"/>.
/// </summary>
/// <remarks>Immutable after <see cref="Parse"/>: safe to share between requests and threads.</remarks>
public sealed partial class StructuralSchema
{
    // The JSON Schema translations JsonSchema.Net evaluates, built on first use and then reused
    // for every object: one as a whole custom resource (Validate), one as a value (ValidateDefault).
    private readonly Lazy<CrdJsonSchema> _asObject;
    private readonly Lazy<CrdJsonSchema> _asValue;

    private StructuralSchema(JsonObject source)
    {
        Source = source;
        _asObject = new Lazy<CrdJsonSchema>(() => new CrdJsonSchema(this, root: true));
        _asValue = new Lazy<CrdJsonSchema>(() => new CrdJsonSchema(this, root: false));
    }

    /// <summary>The schema as written in the CRD (a private deep copy), for OpenAPI documents.</summary>
    public JsonObject Source { get; }

    /// <summary>"object", "array", "string", "integer", "number", "boolean", or null when not given.</summary>
    public string? Type { get; private init; }

    public string? Format { get; private init; }

    public string? Description { get; private init; }

    public bool Nullable { get; private init; }

    /// <summary>x-kubernetes-preserve-unknown-fields: unknown fields below are kept, not pruned.</summary>
    public bool PreserveUnknownFields { get; private init; }

    /// <summary>x-kubernetes-int-or-string: an integer or a string, like a Service's targetPort.</summary>
    public bool IntOrString { get; private init; }

    /// <summary>x-kubernetes-embedded-resource: an object with its own apiVersion, kind and metadata.</summary>
    public bool EmbeddedResource { get; private init; }

    /// <summary>Named fields in declaration order.</summary>
    public ImmutableDictionary<string, StructuralSchema> Properties { get; private init; } =
        ImmutableDictionary<string, StructuralSchema>.Empty.WithComparers(StringComparer.Ordinal);

    public ImmutableArray<string> PropertyOrder { get; private init; } = [];

    public StructuralSchema? Items { get; private init; }

    /// <summary>The schema of every map value (additionalProperties with a schema).</summary>
    public StructuralSchema? AdditionalProperties { get; private init; }

    /// <summary>additionalProperties: true, a map of anything.</summary>
    public bool AdditionalPropertiesAllowed { get; private init; }

    public ImmutableArray<string> Required { get; private init; } = [];

    public ImmutableArray<JsonNode?> Enum { get; private init; } = [];

    /// <summary>The value written for an absent field (deep-copied on use).</summary>
    public JsonNode? Default { get; private init; }

    public string? Pattern { get; private init; }

    /// <summary>
    /// <see cref="Pattern"/> compiled once, non-backtracking: linear time like Go's RE2, so a CRD
    /// author's pattern cannot stall the server. Null when absent or not compilable (the CRD check reports that).
    /// </summary>
    internal Regex? PatternRegex { get; private init; }

    public decimal? Minimum { get; private init; }

    public decimal? Maximum { get; private init; }

    public bool ExclusiveMinimum { get; private init; }

    public bool ExclusiveMaximum { get; private init; }

    public decimal? MultipleOf { get; private init; }

    public long? MinLength { get; private init; }

    public long? MaxLength { get; private init; }

    public long? MinItems { get; private init; }

    public bool UniqueItems { get; private init; }

    public long? MaxItems { get; private init; }

    public long? MinProperties { get; private init; }

    public long? MaxProperties { get; private init; }

    /// <summary>x-kubernetes-list-type: "atomic" (default), "set" or "map".</summary>
    public string? ListType { get; private init; }

    /// <summary>x-kubernetes-list-map-keys: the key fields of a list-type map.</summary>
    public ImmutableArray<string> ListMapKeys { get; private init; } = [];

    /// <summary>x-kubernetes-map-type: "granular" (default) or "atomic".</summary>
    public string? MapType { get; private init; }

    /// <summary>allOf, anyOf and oneOf branches and the not schema: value validation only, never structure.</summary>
    public ImmutableArray<StructuralSchema> AllOf { get; private init; } = [];

    public ImmutableArray<StructuralSchema> AnyOf { get; private init; } = [];

    public ImmutableArray<StructuralSchema> OneOf { get; private init; } = [];

    public StructuralSchema? Not { get; private init; }

    /// <summary>Whether a field named <paramref name="name"/> is part of this object's schema.</summary>
    public bool Knows(string name) => Properties.ContainsKey(name) || AdditionalProperties is not null || AdditionalPropertiesAllowed;

    /// <summary>The schema of field <paramref name="name"/> of an object: a property or a map value.</summary>
    public StructuralSchema? Child(string name) =>
        Properties.TryGetValue(name, out StructuralSchema? property) ? property : AdditionalProperties;

    /// <summary>
    /// Parses an openAPIV3Schema. Malformed keywords (a string where a number belongs) are ignored
    /// here: <see cref="CustomResourceDefinitions.Validate"/> reports them when the CRD is written.
    /// </summary>
    public static StructuralSchema Parse(JsonNode schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return Node(schema as JsonObject ?? []);
    }

    private static StructuralSchema Node(JsonObject raw)
    {
        var source = (JsonObject)raw.DeepClone();
        var properties = ImmutableDictionary.CreateBuilder<string, StructuralSchema>(StringComparer.Ordinal);
        var order = ImmutableArray.CreateBuilder<string>();
        if (source["properties"] is JsonObject props)
        {
            foreach ((string name, JsonNode? child) in props)
            {
                properties[name] = Node(child as JsonObject ?? []);
                order.Add(name);
            }
        }

        JsonNode? additional = source["additionalProperties"];
        return new StructuralSchema(source)
        {
            Type = Text(source, "type"),
            Format = Text(source, "format"),
            Description = Text(source, "description"),
            Nullable = Flag(source, "nullable"),
            PreserveUnknownFields = Flag(source, "x-kubernetes-preserve-unknown-fields"),
            IntOrString = Flag(source, "x-kubernetes-int-or-string"),
            EmbeddedResource = Flag(source, "x-kubernetes-embedded-resource"),
            Properties = properties.ToImmutable(),
            PropertyOrder = order.ToImmutable(),
            Items = source["items"] is JsonObject items ? Node(items) : null,
            AdditionalProperties = additional is JsonObject map ? Node(map) : null,
            AdditionalPropertiesAllowed = additional is JsonValue allowed && allowed.GetValueKind() == JsonValueKind.True,
            Required = Strings(source, "required"),
            Enum = source["enum"] is JsonArray values ? [.. values.Select(v => v?.DeepClone())] : [],
            Default = source["default"]?.DeepClone(),
            Pattern = Text(source, "pattern"),
            PatternRegex = Compile(Text(source, "pattern")),
            Minimum = Number(source, "minimum"),
            Maximum = Number(source, "maximum"),
            ExclusiveMinimum = Flag(source, "exclusiveMinimum"),
            ExclusiveMaximum = Flag(source, "exclusiveMaximum"),
            MultipleOf = Number(source, "multipleOf"),
            MinLength = Integer(source, "minLength"),
            MaxLength = Integer(source, "maxLength"),
            MinItems = Integer(source, "minItems"),
            UniqueItems = Flag(source, "uniqueItems"),
            MaxItems = Integer(source, "maxItems"),
            MinProperties = Integer(source, "minProperties"),
            MaxProperties = Integer(source, "maxProperties"),
            ListType = Text(source, "x-kubernetes-list-type"),
            ListMapKeys = Strings(source, "x-kubernetes-list-map-keys"),
            MapType = Text(source, "x-kubernetes-map-type"),
            AllOf = Branches(source, "allOf"),
            AnyOf = Branches(source, "anyOf"),
            OneOf = Branches(source, "oneOf"),
            Not = source["not"] is JsonObject not ? Node(not) : null,
        };
    }

    internal static Regex? Compile(string? pattern)
    {
        if (pattern is null)
        {
            return null;
        }

        try
        {
            return new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    private static ImmutableArray<StructuralSchema> Branches(JsonObject source, string name) =>
        source[name] is JsonArray branches ? [.. branches.Select(b => Node(b as JsonObject ?? []))] : [];

    private static string? Text(JsonObject source, string name) =>
        source[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static bool Flag(JsonObject source, string name) =>
        source[name] is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    private static ImmutableArray<string> Strings(JsonObject source, string name) =>
        source[name] is JsonArray array
            ? [.. array.OfType<JsonValue>().Where(v => v.GetValueKind() == JsonValueKind.String).Select(v => v.GetValue<string>())]
            : [];

    private static decimal? Number(JsonObject source, string name) =>
        source[name] is JsonValue v ? JsonNumbers.Decimal(v) : null;

    private static long? Integer(JsonObject source, string name) =>
        source[name] is JsonValue v ? JsonNumbers.Int64(v) : null;

    public override string ToString() => Source.ToJsonString();
}
