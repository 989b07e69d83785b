using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Orchestrator.Api.CustomResources;

/// <summary>
/// Reads JSON numbers through their text: nodes built in code wrap the CLR type they came from
/// (an int is not readable as a long), and Go decides integer versus number the same way, by
/// whether the literal parses as an int64.
/// </summary>
internal static class JsonNumbers
{
    public static long? Int64(JsonValue value) =>
        value.GetValueKind() == JsonValueKind.Number
            && long.TryParse(value.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n)
            ? n
            : null;

    public static decimal? Decimal(JsonValue value) =>
        value.GetValueKind() == JsonValueKind.Number
            && decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out decimal d)
            ? d
            : null;

    /// <summary>The JSON type name kube-openapi reports for a value: "integer" for int64 literals, else "number".</summary>
    public static string TypeName(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Number => Int64(v) is null ? "number" : "integer",
            _ => "null",
        },
        _ => "null",
    };

    /// <summary>A number as Go's %v prints it: 1, 1.5, no trailing zeros.</summary>
    public static string Format(decimal value) => value.ToString("0.############################", CultureInfo.InvariantCulture);
}
