using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Api.CustomResources;

namespace Orchestrator.Api.Tables;

/// <summary>
/// The table of a custom resource whose CRD version declares additionalPrinterColumns: Name
/// plus exactly those columns (kube adds Age only when none are declared), each cell read by the
/// column's JSONPath and typed as apiextensions-apiserver's table convertor does.
/// </summary>
internal static class CustomColumnsPrinter
{
    public static TablePrinter For(ImmutableArray<PrinterColumn> columns)
    {
        if (columns.IsEmpty)
        {
            return CustomResourcePrinter.Printer;
        }

        // A path outside the subset never matches: its cells are null, as kube's for a failed lookup.
        JsonPathExpression?[] paths = [.. columns.Select(c => JsonPathExpression.TryParse(c.JsonPath, out JsonPathExpression? p) ? p : null)];
        ImmutableArray<TableColumn> definitions =
        [
            CommonColumns.Name,
            .. columns.Select(c => new TableColumn(c.Name, c.Type, c.Description, c.Priority, c.Format)),
        ];
        return new TablePrinter(definitions, (obj, now) => Cells(obj, now, columns, paths));
    }

    private static JsonArray Cells(JsonObject obj, DateTimeOffset now, ImmutableArray<PrinterColumn> columns, JsonPathExpression?[] paths)
    {
        var cells = new JsonArray(obj.Name());
        for (int i = 0; i < columns.Length; i++)
        {
            IReadOnlyList<JsonNode?> found = paths[i]?.Evaluate(obj) ?? [];
            cells.Add(found.Count == 0 || found[0] is null ? null : Cell(columns[i].Type, found[0]!, now));
        }

        return cells;
    }

    /// <summary>The first match converted to the column's type; a mismatched value is a null cell.</summary>
    private static JsonNode? Cell(string type, JsonNode value, DateTimeOffset now)
    {
        JsonValueKind kind = value.GetValueKind();
        return type switch
        {
            "string" => JsonPathExpression.Print(value),
            "integer" when kind == JsonValueKind.Number && value.Long() is { } n => n,
            "integer" when kind == JsonValueKind.Number => (long)double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture),
            "number" when kind == JsonValueKind.Number => double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture),
            "boolean" when kind is JsonValueKind.True or JsonValueKind.False => value.GetValue<bool>(),
            "date" when kind == JsonValueKind.String => value.Time() is { } time ? HumanDuration.Since(time, now) : "<invalid>",
            _ => null,
        };
    }
}
