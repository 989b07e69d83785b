using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;
using Orchestrator.Api.Objects;

namespace Orchestrator.Api.CustomResources;

/// <summary>
/// The per-version rules of a CRD: a structural schema is required, scale paths point into
/// .spec/.status, and printer columns are complete. Paths read as kube prints them,
/// <c>spec.versions[0].schema.openAPIV3Schema.properties[spec].type</c>.
/// </summary>
internal static class CrdVersionRules
{
    private static readonly string[] ColumnTypes = ["boolean", "date", "integer", "number", "string"];

    private static readonly string[] ColumnFormats = ["byte", "date", "date-time", "double", "float", "int32", "int64", "password"];

    public static void Validate(JsonObject version, FieldPath path, FieldErrorList errors)
    {
        FieldPath schemaPath = path.Child("schema", "openAPIV3Schema");
        if (version.At("schema", "openAPIV3Schema") is JsonObject schema)
        {
            StructuralRules.ValidateRoot(schema, schemaPath, errors);
        }
        else
        {
            errors.Required(schemaPath, "schemas are required");
        }

        if (version.Obj("subresources", "scale") is { } scale)
        {
            ValidateScale(scale, path.Child("subresources", "scale"), errors);
        }

        JsonArray columns = version.Arr("additionalPrinterColumns") ?? [];
        for (int i = 0; i < columns.Count; i++)
        {
            ValidateColumn(columns[i] as JsonObject ?? [], path.Child("additionalPrinterColumns").Index(i), errors);
        }
    }

    private static void ValidateScale(JsonObject scale, FieldPath path, FieldErrorList errors)
    {
        ScalePath(scale.Str("specReplicasPath"), path.Child("specReplicasPath"), [".spec."], "should be a json path under .spec", required: true, errors);
        ScalePath(scale.Str("statusReplicasPath"), path.Child("statusReplicasPath"), [".status."], "should be a json path under .status", required: true, errors);
        ScalePath(scale.Str("labelSelectorPath"), path.Child("labelSelectorPath"), [".spec.", ".status."],
            "should be a json path under either .spec or .status", required: false, errors);
    }

    private static void ScalePath(string? value, FieldPath path, string[] prefixes, string detail, bool required, FieldErrorList errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            if (required)
            {
                errors.Required(path);
            }
        }
        else if (!prefixes.Any(p => value.StartsWith(p, StringComparison.Ordinal)))
        {
            errors.Invalid(path, value, detail);
        }
    }

    private static void ValidateColumn(JsonObject column, FieldPath path, FieldErrorList errors)
    {
        if (string.IsNullOrEmpty(column.Str("name")))
        {
            errors.Required(path.Child("name"));
        }

        if (column.Str("type") is not { Length: > 0 } type)
        {
            errors.Required(path.Child("type"));
        }
        else if (!ColumnTypes.Contains(type))
        {
            errors.NotSupported(path.Child("type"), type, ColumnTypes);
        }

        if (column.Str("format") is { Length: > 0 } format && !ColumnFormats.Contains(format))
        {
            errors.NotSupported(path.Child("format"), format, ColumnFormats);
        }

        if (column.Str("jsonPath") is not { Length: > 0 } jsonPath)
        {
            errors.Required(path.Child("jsonPath"));
        }
        else if (!jsonPath.StartsWith('.') && !jsonPath.StartsWith('{'))
        {
            errors.Invalid(path.Child("jsonPath"), jsonPath, "must be a simple json path starting with .");
        }

        if (column.Long("priority") is < 0 and var priority)
        {
            errors.Invalid(path.Child("priority"), priority, "negative priorities are not allowed");
        }
    }
}
