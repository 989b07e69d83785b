using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;

namespace Orchestrator.Api.Validation;

/// <summary>Validation of quantity fields (resources.requests, capacity, storage sizes).</summary>
public static class QuantityValidation
{
    /// <summary>
    /// Parses the field, adding an Invalid error when it is malformed (or negative, when
    /// <paramref name="nonNegative"/>). JSON numbers are accepted as Kubernetes accepts them
    /// ("cpu: 2" in YAML arrives as a number).
    /// </summary>
    public static Quantity? Validate(JsonNode? node, FieldPath path, FieldErrorList errors, bool nonNegative = true)
    {
        string? text = node switch
        {
            JsonValue v when v.TryGetValue(out string? s) => s,
            JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString(),
            _ => null,
        };
        if (text is null || !Quantity.TryParse(text, out Quantity? quantity))
        {
            errors.Invalid(path, (object?)text ?? node, Quantity.FormatMessage);
            return null;
        }

        if (nonNegative && quantity.Sign < 0)
        {
            errors.Invalid(path, text, "must be greater than or equal to 0");
            return null;
        }

        return quantity;
    }
}
