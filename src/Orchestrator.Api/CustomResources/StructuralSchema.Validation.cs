using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;

namespace Orchestrator.Api.CustomResources;

/// <summary>
/// Validation of a custom resource against its schema, with the field paths, error types and
/// messages apiextensions-apiserver reports (kube-openapi's messages, "spec.x in body ..." included).
/// </summary>
/// <remarks>
/// A walker of its own rather than JsonSchema.Net: CRD schemas are OpenAPI 3.0 (draft-4 style boolean
/// exclusiveMinimum, nullable, x-kubernetes-int-or-string), which JSON Schema 2020-12 reads differently,
/// and every error needs kube's type, bad value and wording, which the keyword's own values give
/// directly here but would have to be re-derived from a library's evaluation path after the fact.
/// </remarks>
public sealed partial class StructuralSchema
{
    // kube's root fields are checked by the generic metadata validation, never by the CRD schema.
    private static readonly string[] RootSystemFields = ["apiVersion", "kind", "metadata"];

    /// <summary>Adds one error per failing field of <paramref name="obj"/>; apiVersion, kind and metadata are skipped.</summary>
    public void Validate(JsonObject obj, FieldErrorList errors)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(errors);
        foreach (string name in Required)
        {
            if (!RootSystemFields.Contains(name) && !obj.ContainsKey(name))
            {
                errors.Required(FieldPath.Root(name));
            }
        }

        foreach ((string name, JsonNode? value) in obj)
        {
            if (!RootSystemFields.Contains(name) && Child(name) is { } schema)
            {
                schema.ValidateValue(value, FieldPath.Root(name), errors);
            }
        }
    }

    /// <summary>Validates a schema's own default value, errors reported under <paramref name="path"/>.</summary>
    internal void ValidateDefault(JsonNode value, FieldPath path, FieldErrorList errors) => ValidateValue(value, path, errors);

    private void ValidateValue(JsonNode? value, FieldPath path, FieldErrorList errors)
    {
        if (value is null)
        {
            // null is a value of no type: allowed only where the schema says nullable (or says nothing).
            if (!Nullable && (Type is not null || IntOrString))
            {
                TypeError(path, value, errors);
            }

            return;
        }

        if (!HasExpectedType(value))
        {
            TypeError(path, value, errors);
            return;
        }

        ValidateEnum(value, path, errors);
        switch (value)
        {
            case JsonObject obj:
                ValidateObject(obj, path, errors);
                break;
            case JsonArray array:
                ValidateArray(array, path, errors);
                break;
            case JsonValue scalar when scalar.GetValueKind() == JsonValueKind.String:
                ValidateString(scalar.GetValue<string>(), path, errors);
                break;
            case JsonValue scalar when scalar.GetValueKind() == JsonValueKind.Number:
                ValidateNumber(scalar, path, errors);
                break;
        }

        ValidateBranches(value, path, errors);
    }

    private bool HasExpectedType(JsonNode value)
    {
        string actual = JsonNumbers.TypeName(value);
        if (IntOrString)
        {
            return actual is "integer" or "string";
        }

        return Type switch
        {
            null => true,
            "number" => actual is "number" or "integer",
            _ => actual == Type,
        };
    }

    private void TypeError(FieldPath path, JsonNode? value, FieldErrorList errors)
    {
        // kube-openapi names the value's type, not the value: "must be of type integer: \"string\"".
        string expected = IntOrString ? "integer,string" : Type ?? "";
        string actual = JsonNumbers.TypeName(value);
        errors.Invalid(path, actual, $"{path} in body must be of type {expected}: {FieldError.Quote(actual)}");
    }

    private void ValidateEnum(JsonNode value, FieldPath path, FieldErrorList errors)
    {
        if (Enum.IsEmpty || Enum.Any(allowed => JsonNode.DeepEquals(allowed, value)))
        {
            return;
        }

        // kube lists string values bare and anything else as JSON.
        IEnumerable<string> supported = Enum.Select(v => v is JsonValue s && s.GetValueKind() == JsonValueKind.String
            ? s.GetValue<string>()
            : v?.ToJsonString() ?? "null");
        errors.NotSupported(path, Reported(value), supported);
    }

    private void ValidateObject(JsonObject obj, FieldPath path, FieldErrorList errors)
    {
        if (MaxProperties is { } max && obj.Count > max)
        {
            errors.TooMany(path, obj.Count, (int)max);
        }

        if (MinProperties is { } min && obj.Count < min)
        {
            errors.Invalid(path, obj.Count, $"{path} in body should have at least {min} properties");
        }

        foreach (string name in Required)
        {
            if (!obj.ContainsKey(name))
            {
                errors.Required(path.Child(name));
            }
        }

        foreach ((string name, JsonNode? child) in obj)
        {
            if (Child(name) is { } schema)
            {
                schema.ValidateValue(child, FieldOf(path, name), errors);
            }
        }
    }

    private void ValidateArray(JsonArray array, FieldPath path, FieldErrorList errors)
    {
        if (MaxItems is { } max && array.Count > max)
        {
            errors.TooMany(path, array.Count, (int)max);
        }

        if (MinItems is { } min && array.Count < min)
        {
            errors.Invalid(path, array.Count, $"{path} in body should have at least {min} items");
        }

        for (int i = 0; i < array.Count; i++)
        {
            Items?.ValidateValue(array[i], path.Index(i), errors);
        }

        ValidateListType(array, path, errors);
    }

    /// <summary>Sets and maps may not repeat an element or a key, as apiextensions' listtype validation says.</summary>
    private void ValidateListType(JsonArray array, FieldPath path, FieldErrorList errors)
    {
        Func<JsonNode?, string>? identity = ListType switch
        {
            "set" => node => node?.ToJsonString() ?? "null",
            "map" when !ListMapKeys.IsEmpty => node => string.Join("\u0000", ListMapKeys.Select(k => node?[k]?.ToJsonString() ?? "null")),
            _ => null,
        };
        if (identity is null)
        {
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < array.Count; i++)
        {
            if (!seen.Add(identity(array[i])))
            {
                errors.Duplicate(path.Index(i), Reported(array[i]));
            }
        }
    }

    private void ValidateString(string text, FieldPath path, FieldErrorList errors)
    {
        // Lengths count Unicode code points, as Go's utf8.RuneCountInString.
        long length = text.EnumerateRunes().LongCount();
        if (MaxLength is { } max && length > max)
        {
            errors.TooLong(path, (int)max);
        }

        if (MinLength is { } min && length < min)
        {
            errors.Invalid(path, text, $"{path} in body should be at least {min} chars long");
        }

        if (PatternRegex is { } regex && !regex.IsMatch(text))
        {
            errors.Invalid(path, text, $"{path} in body should match '{Pattern}'");
        }

        if (Format is not null && !IntOrString && !SchemaFormats.IsValid(Format, text))
        {
            errors.Invalid(path, text, $"{path} in body must be of type {Format}: {FieldError.Quote(text)}");
        }
    }

    private void ValidateNumber(JsonValue number, FieldPath path, FieldErrorList errors)
    {
        if (JsonNumbers.Decimal(number) is not { } n)
        {
            return;
        }

        object reported = Reported(number);
        if (Minimum is { } min && (ExclusiveMinimum ? n <= min : n < min))
        {
            string relation = ExclusiveMinimum ? "greater than" : "greater than or equal to";
            errors.Invalid(path, reported, $"{path} in body should be {relation} {JsonNumbers.Format(min)}");
        }

        if (Maximum is { } max && (ExclusiveMaximum ? n >= max : n > max))
        {
            string relation = ExclusiveMaximum ? "less than" : "less than or equal to";
            errors.Invalid(path, reported, $"{path} in body should be {relation} {JsonNumbers.Format(max)}");
        }

        if (MultipleOf is { } factor && factor != 0 && n % factor != 0)
        {
            errors.Invalid(path, reported, $"{path} in body should be a multiple of {JsonNumbers.Format(factor)}");
        }

        if (Format is "int32" && (n < int.MinValue || n > int.MaxValue))
        {
            errors.Invalid(path, reported, $"{path} in body must be of type int32: {FieldError.Quote(number.ToJsonString())}");
        }
    }

    /// <summary>allOf/anyOf/oneOf/not constrain values further; their errors read as kube-openapi's.</summary>
    private void ValidateBranches(JsonNode value, FieldPath path, FieldErrorList errors)
    {
        foreach (StructuralSchema branch in AllOf)
        {
            branch.ValidateValue(value, path, errors);
        }

        if (!AnyOf.IsEmpty && !AnyOf.Any(b => b.Accepts(value, path)))
        {
            errors.Invalid(path, Reported(value), $"{path} in body must validate at least one schema (anyOf)");
        }

        if (!OneOf.IsEmpty && OneOf.Count(b => b.Accepts(value, path)) != 1)
        {
            errors.Invalid(path, Reported(value), $"{path} in body must validate one and only one schema (oneOf)");
        }

        if (Not is not null && Not.Accepts(value, path))
        {
            errors.Invalid(path, Reported(value), $"{path} in body must not validate the schema (not)");
        }
    }

    private bool Accepts(JsonNode value, FieldPath path)
    {
        var scratch = new FieldErrorList();
        ValidateValue(value, path, scratch);
        return scratch.IsEmpty;
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
}
