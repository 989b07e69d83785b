extern alias JsonEverything;

using System.Text.Json;
using System.Text.Json.Nodes;
using JsonEverything::Json.Schema;
using Orchestrator.Api.Errors;

namespace Orchestrator.Api.CustomResources;

/// <summary>
/// Validation of a custom resource against its schema, with the field paths, error types and
/// messages apiextensions-apiserver reports (kube-openapi's messages, "spec.x in body ..." included).
/// </summary>
/// <remarks>
/// JsonSchema.Net evaluates the JSON-schema keywords on the translation in <see cref="CrdJsonSchema"/>
/// (built once per schema); this file only turns its results into kube's FieldErrors, in document
/// order. x-kubernetes-list-type (set/map uniqueness) is a Kubernetes extension, not a JSON-schema
/// keyword (uniqueItems cannot express map keys), so it stays a walk of its own, like defaulting and pruning.
/// </remarks>
public sealed partial class StructuralSchema
{
    /// <summary>Adds one error per failing field of <paramref name="obj"/>; apiVersion, kind and metadata are skipped.</summary>
    public void Validate(JsonObject obj, FieldErrorList errors)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(errors);
        Evaluate(_asObject.Value, obj, at: null, errors);
    }

    /// <summary>The JSON Schema <see cref="Validate"/> evaluates, built on first use and kept.</summary>
    internal CrdJsonSchema CompiledForObjects => _asObject.Value;

    /// <summary>Validates a schema's own default value, errors reported under <paramref name="path"/>.</summary>
    internal void ValidateDefault(JsonNode value, FieldPath path, FieldErrorList errors) => Evaluate(_asValue.Value, value, path, errors);

    private void Evaluate(CrdJsonSchema compiled, JsonNode instance, FieldPath? at, FieldErrorList errors)
    {
        EvaluationResults results;
        using (JsonDocument document = JsonDocument.Parse(instance.ToJsonString()))
        {
            results = compiled.Schema.Evaluate(document.RootElement, compiled.Options());
        }

        var report = new Report(instance, at);
        report.AddResults(compiled, results);
        report.AddListDuplicates(this, instance, "", isRoot: at is null);
        report.CopyTo(errors);
    }

    /// <summary>A map entry reads as a field ("spec.labels.app"), as kube-openapi names it.</summary>
    internal static FieldPath FieldOf(FieldPath path, string name) => name.Length == 0 ? path.Key(name) : path.Child(name);

    /// <summary>Scalars print as themselves in the message; objects and arrays as JSON.</summary>
    private static object Reported(JsonNode? value) => value switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when JsonNumbers.Int64(v) is { } n => n,
        JsonValue v when JsonNumbers.Decimal(v) is { } d => d,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        null => "null",
        _ => value,
    };

    /// <summary>The errors of one validation call, gathered out of order and emitted in document order.</summary>
    /// <remarks>Mutable, owned by one call.</remarks>
    private sealed class Report
    {
        private readonly Dictionary<string, Place> _places = new(StringComparer.Ordinal);
        private readonly FieldErrorList _found = new();
        private readonly List<(int Order, int Node, int Rank, int Index)> _keys = [];

        public Report(JsonNode instance, FieldPath? at) => Index(instance, "", at);

        /// <summary>Where an instance location is: its place in document order, kube field path and value.</summary>
        private readonly record struct Place(int Order, FieldPath? Path, JsonNode? Value);

        public void CopyTo(FieldErrorList errors) =>
            errors.AddRange(_keys.OrderBy(k => k.Order).ThenBy(k => k.Node).ThenBy(k => k.Rank).ThenBy(k => k.Index).Select(k => _found[k.Index]));

        public void AddResults(CrdJsonSchema compiled, EvaluationResults results)
        {
            // The list output holds one result per (schema node, instance location); the root may come twice.
            var entries = new Dictionary<(int Node, string Pointer), Entry>();
            foreach (EvaluationResults result in (IEnumerable<EvaluationResults>)[results, .. results.Details ?? []])
            {
                if (compiled.NodeOf(result) is not { } node)
                {
                    continue;
                }

                string pointer = result.InstanceLocation.ToString();
                if (!entries.TryGetValue((node.Id, pointer), out Entry? entry))
                {
                    entries[(node.Id, pointer)] = entry = new Entry(node, pointer);
                }

                entry.Valid &= result.IsValid;
                foreach ((string keyword, string message) in result.Errors ?? new Dictionary<string, string>())
                {
                    entry.Errors.TryAdd(keyword, message);
                }
            }

            // As kube-openapi: a value of the wrong type (or null) gets the type error alone, not one per
            // keyword, and the allOf branches of its schema stay silent too.
            var silenced = entries.Values
                .Where(e => e.Errors.ContainsKey("type") || Locate(e.Pointer).Value is null)
                .Select(e => (e.Node.Id, e.Pointer))
                .ToHashSet();
            foreach (Entry entry in entries.Values)
            {
                if (entry.Node.InAlternative || SilencedByAllOfParent(entry.Node, entry.Pointer, silenced))
                {
                    continue;
                }

                Place place = Locate(entry.Pointer);
                if (entry.Errors.ContainsKey("type"))
                {
                    TypeError(entry.Node, place);
                    continue;
                }

                if (silenced.Contains((entry.Node.Id, entry.Pointer)))
                {
                    continue;
                }

                foreach (string keyword in entry.Errors.Keys)
                {
                    Keyword(entry.Node, keyword, entry.Errors[keyword], place);
                }

                if (!entry.Valid)
                {
                    Alternatives(entry, place, entries);
                }
            }
        }

        /// <summary>x-kubernetes-list-type set/map: no element, or no key tuple, twice (apiextensions' listtype validation).</summary>
        public void AddListDuplicates(StructuralSchema schema, JsonNode? value, string pointer, bool isRoot)
        {
            switch (value)
            {
                case JsonObject obj when isRoot || (!schema.IntOrString && schema.Type is null or "object"):
                    foreach ((string name, JsonNode? child) in obj)
                    {
                        if (!(isRoot && CrdJsonSchema.RootSystemFields.Contains(name)) && schema.Child(name) is { } childSchema)
                        {
                            AddListDuplicates(childSchema, child, pointer + "/" + Escape(name), isRoot: false);
                        }
                    }

                    break;
                case JsonArray array when !schema.IntOrString && schema.Type is null or "array":
                    Duplicates(schema, array, pointer);
                    for (int i = 0; i < array.Count && schema.Items is not null; i++)
                    {
                        AddListDuplicates(schema.Items, array[i], pointer + "/" + i, isRoot: false);
                    }

                    break;
            }
        }

        private void Duplicates(StructuralSchema schema, JsonArray array, string pointer)
        {
            Func<JsonNode?, string>? identity = schema.ListType switch
            {
                "set" => node => node?.ToJsonString() ?? "null",
                "map" when !schema.ListMapKeys.IsEmpty => node => string.Join("\u0000", schema.ListMapKeys.Select(k => node?[k]?.ToJsonString() ?? "null")),
                _ => null,
            };
            if (identity is null)
            {
                return;
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < array.Count; i++)
            {
                if (!seen.Add(identity(array[i])) && Locate(pointer + "/" + i) is { Path: { } path } place)
                {
                    // After every schema error at the element itself.
                    Emit(place.Order, int.MaxValue, 0, found => found.Duplicate(path, Reported(array[i])));
                }
            }
        }

        private static bool SilencedByAllOfParent(CrdJsonSchema.Node node, string pointer, HashSet<(int, string)> silenced)
        {
            for (CrdJsonSchema.Node? parent = node.AllOfParent; parent is not null; parent = parent.AllOfParent)
            {
                if (silenced.Contains((parent.Id, pointer)))
                {
                    return true;
                }
            }

            return false;
        }

        private void TypeError(CrdJsonSchema.Node node, Place place)
        {
            if (place.Path is not { } path)
            {
                return;
            }

            // kube-openapi names the value's type, not the value: "must be of type integer: \"string\"".
            string expected = node.Schema.IntOrString ? "integer,string" : node.Schema.Type ?? "";
            string actual = JsonNumbers.TypeName(place.Value);
            Emit(place.Order, node.Id, 0, found => found.Invalid(path, actual, $"{path} in body must be of type {expected}: {FieldError.Quote(actual)}"));
        }

        private void Keyword(CrdJsonSchema.Node node, string keyword, string message, Place place)
        {
            StructuralSchema s = node.Schema;
            if (keyword == "required")
            {
                foreach (string name in s.Required.Distinct().Where(n => place.Value is JsonObject obj && !obj.ContainsKey(n)))
                {
                    if (!(node.IsRoot && CrdJsonSchema.RootSystemFields.Contains(name)))
                    {
                        FieldPath missing = place.Path is { } parent ? parent.Child(name) : FieldPath.Root(name);
                        Emit(place.Order, node.Id, Rank(keyword), found => found.Required(missing));
                    }
                }

                return;
            }

            if (place.Path is not { } path)
            {
                return;
            }

            JsonNode? value = place.Value;
            int count = value switch { JsonObject o => o.Count, JsonArray a => a.Count, _ => 0 };
            string text = value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : value?.ToJsonString() ?? "null";
            object reported = Reported(value);
            Action<FieldErrorList> add = keyword switch
            {
                "enum" => found => found.NotSupported(path, reported, s.Enum.Select(e => e is JsonValue sv && sv.GetValueKind() == JsonValueKind.String
                    ? sv.GetValue<string>()
                    : e?.ToJsonString() ?? "null")), // kube lists string values bare and anything else as JSON
                "maxProperties" => found => found.TooMany(path, count, (int)s.MaxProperties!.Value),
                "minProperties" => found => found.Invalid(path, count, $"{path} in body should have at least {s.MinProperties} properties"),
                "maxItems" => found => found.TooMany(path, count, (int)s.MaxItems!.Value),
                "minItems" => found => found.Invalid(path, count, $"{path} in body should have at least {s.MinItems} items"),
                // kube-openapi's DuplicateItems carries no value.
                "uniqueItems" => found => found.Invalid(path, "", $"{path} in body shouldn't contain duplicates"),
                "maxLength" => found => found.TooLong(path, (int)s.MaxLength!.Value),
                "minLength" => found => found.Invalid(path, text, $"{path} in body should be at least {s.MinLength} chars long"),
                "pattern" => found => found.Invalid(path, text, $"{path} in body should match '{s.Pattern}'"),
                "format" => found => found.Invalid(path, reported, $"{path} in body must be of type {s.Format}: {FieldError.Quote(text)}"),
                "minimum" => found => found.Invalid(path, reported, $"{path} in body should be greater than or equal to {JsonNumbers.Format(s.Minimum!.Value)}"),
                "exclusiveMinimum" => found => found.Invalid(path, reported, $"{path} in body should be greater than {JsonNumbers.Format(s.Minimum!.Value)}"),
                "maximum" => found => found.Invalid(path, reported, $"{path} in body should be less than or equal to {JsonNumbers.Format(s.Maximum!.Value)}"),
                "exclusiveMaximum" => found => found.Invalid(path, reported, $"{path} in body should be less than {JsonNumbers.Format(s.Maximum!.Value)}"),
                "multipleOf" => found => found.Invalid(path, reported, $"{path} in body should be a multiple of {JsonNumbers.Format(s.MultipleOf!.Value)}"),
                // Not expected from our translation; never let a failure pass silently.
                _ => found => found.Invalid(path, reported, $"{path} in body is invalid: {keyword}: {message}"),
            };
            Emit(place.Order, node.Id, Rank(keyword), add);
        }

        /// <summary>anyOf/oneOf/not fail as a whole, their branches' own errors unreported (kube-openapi's wording).</summary>
        private void Alternatives(Entry entry, Place place, Dictionary<(int Node, string Pointer), Entry> entries)
        {
            if (place.Path is not { } path)
            {
                return;
            }

            bool Passed(CrdJsonSchema.Node branch) => entries.TryGetValue((branch.Id, entry.Pointer), out Entry? e) && e.Valid;
            object reported = Reported(place.Value);
            CrdJsonSchema.Node node = entry.Node;
            if (!node.AnyOf.IsEmpty && !node.AnyOf.Any(Passed))
            {
                Emit(place.Order, node.Id, 20, found => found.Invalid(path, reported, $"{path} in body must validate at least one schema (anyOf)"));
            }

            if (!node.OneOf.IsEmpty && node.OneOf.Count(Passed) != 1)
            {
                Emit(place.Order, node.Id, 21, found => found.Invalid(path, reported, $"{path} in body must validate one and only one schema (oneOf)"));
            }

            if (node.Not is { } not && Passed(not))
            {
                Emit(place.Order, node.Id, 22, found => found.Invalid(path, reported, $"{path} in body must not validate the schema (not)"));
            }
        }

        /// <summary>The order kube-openapi's validators report in for one value.</summary>
        private static int Rank(string keyword) => keyword switch
        {
            "enum" => 1,
            "maxProperties" => 2,
            "minProperties" => 3,
            "required" => 4,
            "maxItems" => 5,
            "minItems" => 6,
            "uniqueItems" => 7,
            "maxLength" => 8,
            "minLength" => 9,
            "pattern" => 10,
            "minimum" or "exclusiveMinimum" => 11,
            "maximum" or "exclusiveMaximum" => 12,
            "multipleOf" => 13,
            "format" => 14,
            _ => 15,
        };

        private void Emit(int order, int node, int rank, Action<FieldErrorList> add)
        {
            int before = _found.Count;
            add(_found);
            for (int i = before; i < _found.Count; i++)
            {
                _keys.Add((order, node, rank, i));
            }
        }

        private Place Locate(string pointer) => _places.TryGetValue(pointer, out Place place) ? place : new Place(int.MaxValue, null, null);

        /// <summary>Numbers every location of the instance in document order, with its kube field path.</summary>
        private void Index(JsonNode? node, string pointer, FieldPath? path)
        {
            _places[pointer] = new Place(_places.Count, path, node);
            switch (node)
            {
                case JsonObject obj:
                    foreach ((string name, JsonNode? child) in obj)
                    {
                        Index(child, pointer + "/" + Escape(name), path is null ? FieldPath.Root(name) : FieldOf(path, name));
                    }

                    break;
                case JsonArray array:
                    for (int i = 0; i < array.Count; i++)
                    {
                        Index(array[i], pointer + "/" + i, path?.Index(i));
                    }

                    break;
            }
        }

        // RFC 6901, as JsonSchema.Net writes instance locations.
        private static string Escape(string name) => name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

        private sealed class Entry(CrdJsonSchema.Node node, string pointer)
        {
            public CrdJsonSchema.Node Node { get; } = node;

            public string Pointer { get; } = pointer;

            public bool Valid { get; set; } = true;

            public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);
        }
    }
}
