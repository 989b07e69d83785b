using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;
using Orchestrator.Api.Objects;

namespace Orchestrator.Api.CustomResources;

/// <summary>
/// Checks that a CRD schema is structural, as apiextensions-apiserver requires since v1: every
/// specified field has a type (unless int-or-string or preserve-unknown-fields), the root is an
/// object, and a node has either properties or additionalProperties. Without this pruning and
/// defaulting would have nothing definite to walk.
/// </summary>
internal static class StructuralRules
{
    private static readonly string[] Types = ["array", "boolean", "integer", "number", "object", "string"];

    public static void ValidateRoot(JsonObject schema, FieldPath path, FieldErrorList errors)
    {
        string? type = schema.Str("type");
        if (string.IsNullOrEmpty(type))
        {
            errors.Required(path.Child("type"), "must not be empty at the root");
        }
        else if (type != "object")
        {
            errors.Invalid(path.Child("type"), type, "must be object at the root");
        }

        Node(schema, path, typeRequired: null, errors);
    }

    /// <param name="typeRequired">The Required detail when the node has no type, or null when none is required (the root).</param>
    private static void Node(JsonObject schema, FieldPath path, string? typeRequired, FieldErrorList errors)
    {
        string? type = schema.Str("type");
        bool intOrString = schema.Bool("x-kubernetes-int-or-string") == true;
        bool preserve = schema.Bool("x-kubernetes-preserve-unknown-fields") == true;
        if (string.IsNullOrEmpty(type))
        {
            if (typeRequired is not null && !intOrString && !preserve)
            {
                errors.Required(path.Child("type"), typeRequired);
            }
        }
        else if (!Types.Contains(type))
        {
            errors.NotSupported(path.Child("type"), type, Types);
        }
        else if (intOrString)
        {
            errors.Invalid(path.Child("type"), type, "must be empty if x-kubernetes-int-or-string is true");
        }

        if (schema["x-kubernetes-preserve-unknown-fields"] is JsonValue flag && flag.GetValueKind() == JsonValueKind.False)
        {
            errors.Invalid(path.Child("x-kubernetes-preserve-unknown-fields"), false, "must be true or undefined");
        }

        if (schema["properties"] is JsonObject && schema["additionalProperties"] is not null)
        {
            errors.Forbidden(path.Child("additionalProperties"), "additionalProperties and properties are mutual exclusive");
        }

        if (schema.Str("pattern") is { } pattern && StructuralSchema.Compile(pattern) is null)
        {
            errors.Invalid(path.Child("pattern"), pattern, "must be a valid regular expression");
        }

        if (schema["default"] is { } value)
        {
            // A default that fails its own schema would make every defaulted object invalid.
            StructuralSchema.Parse(schema).ValidateDefault(value, path.Child("default"), errors);
        }

        ValidateListType(schema, type, path, errors);
        Children(schema, type, path, errors);
    }

    private static void ValidateListType(JsonObject schema, string? type, FieldPath path, FieldErrorList errors)
    {
        if (schema.Str("x-kubernetes-list-type") is not { } listType)
        {
            return;
        }

        if (type != "array")
        {
            errors.Invalid(path.Child("x-kubernetes-list-type"), listType, "must only be used if type is array");
        }
        else if (listType is not ("atomic" or "set" or "map"))
        {
            errors.NotSupported(path.Child("x-kubernetes-list-type"), listType, ["atomic", "map", "set"]);
        }
        else if (listType == "map" && (schema.Arr("x-kubernetes-list-map-keys") ?? []).Count == 0)
        {
            errors.Required(path.Child("x-kubernetes-list-map-keys"), "must not be empty if x-kubernetes-list-type is map");
        }
    }

    private static void Children(JsonObject schema, string? type, FieldPath path, FieldErrorList errors)
    {
        if (schema["properties"] is JsonObject properties)
        {
            foreach ((string name, JsonNode? child) in properties)
            {
                Node(child as JsonObject ?? [], path.Child("properties").Key(name), "must not be empty for specified object fields", errors);
            }
        }

        if (schema["additionalProperties"] is JsonObject additional)
        {
            Node(additional, path.Child("additionalProperties"), "must not be empty for specified object fields", errors);
        }

        if (schema["items"] is JsonObject items)
        {
            Node(items, path.Child("items"), "must not be empty for specified array items", errors);
        }
        else if (type == "array")
        {
            errors.Required(path.Child("items"), "must be specified");
        }
    }
}
