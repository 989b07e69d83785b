extern alias JsonEverything;

using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using JsonEverything::Json.Schema;

namespace Orchestrator.Api.CustomResources;

/// <summary>
/// A <see cref="StructuralSchema"/> translated once into a JSON Schema (draft 2020-12) that
/// JsonSchema.Net evaluates, plus the table that maps every evaluation result back to the
/// structural node it came from, so errors can be worded as kube-openapi words them.
/// </summary>
/// <remarks>
/// OpenAPI 3.0 differs from 2020-12 where CRDs rely on it: <c>nullable</c> becomes a "null" type,
/// boolean <c>exclusiveMinimum</c>/<c>exclusiveMaximum</c> become the numeric keywords,
/// <c>x-kubernetes-int-or-string</c> becomes <c>["integer","string"]</c>. Unknown fields are never
/// validation errors (pruning removes them), so no <c>additionalProperties: false</c> is emitted.
/// Immutable after construction; evaluations may run concurrently.
/// </remarks>
internal sealed class CrdJsonSchema
{
    // Every translated node carries its own $id: results name it in SchemaLocation, which is
    // a stable way back to the node (evaluation paths of "items" are not, in JsonSchema.Net 8).
    private const string IdPrefix = "https://orchestrator.invalid/crd-schema/";

    // kube's root fields are checked by the generic metadata validation, never by the CRD schema.
    internal static readonly ImmutableArray<string> RootSystemFields = ["apiVersion", "kind", "metadata"];

    private static readonly string[] Types = ["array", "boolean", "integer", "number", "object", "string"];

    // Draft 2020-12 with three keywords swapped for kube's semantics (the handlers are stateless):
    // pattern runs on the same linear-time Regex the CRD check compiled (RE2-like, no catastrophic
    // backtracking from a CRD author's pattern), and lengths count code points as Go's
    // utf8.RuneCountInString does (JsonSchema.Net counts grapheme clusters).
    private static readonly Dialect KubeDialect = Dialect.Draft202012.With(
        [new LinearPatternKeyword(), new CodePointLengthKeyword("minLength", isMaximum: false), new CodePointLengthKeyword("maxLength", isMaximum: true)]);

    private readonly List<Node> _nodes = [];
    private readonly FormatRegistry _formats = new();
    private readonly HashSet<string> _registeredFormats = new(StringComparer.Ordinal);

    /// <param name="root">Translate as a whole object: only required and the fields below are
    /// validated, apiVersion/kind/metadata skipped (the Validate entry point); else as a value (defaults).</param>
    public CrdJsonSchema(StructuralSchema schema, bool root)
    {
        JsonObject translated = root ? TranslateRoot(schema) : Translate(schema, inAlternative: false, allOfParent: null);
        // The dialect is given here, not as "$schema" (which would pick the stock 2020-12 handlers);
        // a registry of our own keeps the nodes' $ids out of the library's global one.
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry(), Dialect = KubeDialect };
        Schema = JsonSchema.FromText(translated.ToJsonString(), options);
        _translated = translated;
    }

    private readonly JsonObject _translated;

    public JsonSchema Schema { get; }

    /// <summary>A copy of the JSON Schema as evaluated, for tests and debugging.</summary>
    public JsonObject Translated => (JsonObject)_translated.DeepClone();

    /// <summary>Fresh per evaluation (options are cheap); the format registry is shared and thread-safe.</summary>
    public EvaluationOptions Options() => new()
    {
        OutputFormat = OutputFormat.List,
        RequireFormatValidation = true,
        FormatRegistry = _formats,
    };

    /// <summary>The node a result came from, or null for a location that is not one of ours.</summary>
    public Node? NodeOf(EvaluationResults result)
    {
        string location = result.SchemaLocation.GetLeftPart(UriPartial.Path);
        return location.StartsWith(IdPrefix, StringComparison.Ordinal)
            && int.TryParse(location.AsSpan(IdPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int id)
            && id < _nodes.Count
                ? _nodes[id]
                : null;
    }

    private JsonObject TranslateRoot(StructuralSchema schema)
    {
        Node node = Add(schema, inAlternative: false, allOfParent: null, isRoot: true);
        var properties = new JsonObject();
        foreach (string name in RootSystemFields)
        {
            // Declared as anything so an additionalProperties schema does not reach them either.
            properties[name] = true;
        }

        foreach (string name in schema.PropertyOrder.Where(n => !RootSystemFields.Contains(n)))
        {
            properties[name] = Translate(schema.Properties[name], inAlternative: false, allOfParent: null);
        }

        var result = new JsonObject { ["$id"] = IdPrefix + node.Id, ["properties"] = properties };
        if (schema.AdditionalProperties is { } map)
        {
            result["additionalProperties"] = Translate(map, inAlternative: false, allOfParent: null);
        }

        string[] required = [.. schema.Required.Where(n => !RootSystemFields.Contains(n)).Distinct()];
        if (required.Length > 0)
        {
            result["required"] = new JsonArray([.. required.Select(n => (JsonNode)n)]);
        }

        return result;
    }

    /// <param name="inAlternative">Below anyOf/oneOf/not: kube reports only the alternative as a whole.</param>
    /// <param name="allOfParent">The node whose allOf holds this one: its type error silences this branch too.</param>
    private JsonObject Translate(StructuralSchema s, bool inAlternative, Node? allOfParent)
    {
        Node node = Add(s, inAlternative, allOfParent, isRoot: false);
        var o = new JsonObject { ["$id"] = IdPrefix + node.Id };

        var types = new JsonArray();
        if (s.IntOrString)
        {
            types.Add("integer");
            types.Add("string");
        }
        else if (s.Type is { } type && Types.Contains(type))
        {
            types.Add(type);
        }

        if (types.Count > 0)
        {
            if (s.Nullable)
            {
                types.Add("null");
            }

            o["type"] = types;
        }

        if (!s.Enum.IsEmpty)
        {
            // 2020-12 wants enum and required items unique; a CRD may repeat one, which changes nothing.
            var values = new JsonArray();
            foreach (JsonNode? value in s.Enum.Where((v, i) => !s.Enum.Take(i).Any(earlier => JsonNode.DeepEquals(earlier, v))))
            {
                values.Add(value?.DeepClone());
            }

            if (s.Nullable && !s.Enum.Contains(null))
            {
                values.Add(null);
            }

            o["enum"] = values;
        }

        AddCount(o, "maxProperties", s.MaxProperties);
        AddCount(o, "minProperties", s.MinProperties);
        if (!s.Required.IsEmpty)
        {
            o["required"] = new JsonArray([.. s.Required.Distinct().Select(n => (JsonNode)n)]);
        }

        if (!s.PropertyOrder.IsEmpty)
        {
            var properties = new JsonObject();
            foreach (string name in s.PropertyOrder)
            {
                properties[name] = Translate(s.Properties[name], inAlternative, allOfParent: null);
            }

            o["properties"] = properties;
        }

        if (s.AdditionalProperties is { } map)
        {
            o["additionalProperties"] = Translate(map, inAlternative, allOfParent: null);
        }

        if (s.Items is { } items)
        {
            o["items"] = Translate(items, inAlternative, allOfParent: null);
        }

        AddCount(o, "maxItems", s.MaxItems);
        AddCount(o, "minItems", s.MinItems);
        if (s.UniqueItems)
        {
            o["uniqueItems"] = true;
        }

        AddCount(o, "maxLength", s.MaxLength);
        AddCount(o, "minLength", s.MinLength);
        if (s.PatternRegex is not null)
        {
            // An uncompilable pattern is reported when the CRD is written; here it simply does not apply.
            o["pattern"] = s.Pattern;
        }

        if (s.Minimum is { } min)
        {
            o[s.ExclusiveMinimum ? "exclusiveMinimum" : "minimum"] = min;
        }

        if (s.Maximum is { } max)
        {
            o[s.ExclusiveMaximum ? "exclusiveMaximum" : "maximum"] = max;
        }

        if (s.MultipleOf is > 0 and var factor)
        {
            o["multipleOf"] = factor;
        }

        // An int-or-string's format names the pair ("int-or-string"), not a string format; only
        // int32's range applies, and it only ever applies to the integer side.
        if (s.Format is { } format && (!s.IntOrString || format == "int32"))
        {
            o["format"] = format;
            RegisterFormat(format);
        }

        if (!s.AllOf.IsEmpty)
        {
            o["allOf"] = new JsonArray([.. s.AllOf.Select(b => (JsonNode)Translate(b, inAlternative, allOfParent: node))]);
        }

        if (!s.AnyOf.IsEmpty)
        {
            o["anyOf"] = Alternatives(s.AnyOf, out ImmutableArray<Node> anyOf);
            node.AnyOf = anyOf;
        }

        if (!s.OneOf.IsEmpty)
        {
            o["oneOf"] = Alternatives(s.OneOf, out ImmutableArray<Node> oneOf);
            node.OneOf = oneOf;
        }

        if (s.Not is { } not)
        {
            int id = _nodes.Count;
            o["not"] = Translate(not, inAlternative: true, allOfParent: null);
            node.Not = _nodes[id];
        }

        return o;
    }

    private JsonArray Alternatives(ImmutableArray<StructuralSchema> branches, out ImmutableArray<Node> nodes)
    {
        var array = new JsonArray();
        var builder = ImmutableArray.CreateBuilder<Node>(branches.Length);
        foreach (StructuralSchema branch in branches)
        {
            int id = _nodes.Count;
            array.Add(Translate(branch, inAlternative: true, allOfParent: null));
            builder.Add(_nodes[id]);
        }

        nodes = builder.MoveToImmutable();
        return array;
    }

    private Node Add(StructuralSchema s, bool inAlternative, Node? allOfParent, bool isRoot)
    {
        var node = new Node(_nodes.Count, s, inAlternative, allOfParent, isRoot);
        _nodes.Add(node);
        return node;
    }

    private static void AddCount(JsonObject o, string keyword, long? value)
    {
        if (value is >= 0)
        {
            o[keyword] = value.Value;
        }
    }

    /// <summary>kube-openapi's format checks (<see cref="SchemaFormats"/>) in place of JsonSchema.Net's, which differ.</summary>
    private void RegisterFormat(string format)
    {
        if (_registeredFormats.Add(format))
        {
            _formats.Register(new PredicateFormat(format, value => FormatAccepts(format, value)));
        }
    }

    private static bool FormatAccepts(string format, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => SchemaFormats.IsValid(format, value.GetString()!),
        // Like kube, a number out of decimal's range is not checked; 1.5 is within int32's range.
        JsonValueKind.Number when format == "int32" => !value.TryGetDecimal(out decimal n) || n is >= int.MinValue and <= int.MaxValue,
        _ => true,
    };

    /// <summary>One translated schema node: the structural node and where it sits.</summary>
    internal sealed class Node(int id, StructuralSchema schema, bool inAlternative, Node? allOfParent, bool isRoot)
    {
        public int Id { get; } = id;

        public StructuralSchema Schema { get; } = schema;

        public bool InAlternative { get; } = inAlternative;

        public Node? AllOfParent { get; } = allOfParent;

        /// <summary>The object root of <see cref="StructuralSchema.Validate"/>: only required applies, system fields excluded.</summary>
        public bool IsRoot { get; } = isRoot;

        // Set while the translation runs, fixed once the CrdJsonSchema is built.
        public ImmutableArray<Node> AnyOf { get; internal set; } = [];

        public ImmutableArray<Node> OneOf { get; internal set; } = [];

        public Node? Not { get; internal set; }
    }
}
