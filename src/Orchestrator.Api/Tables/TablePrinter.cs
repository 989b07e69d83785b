using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace Orchestrator.Api.Tables;

/// <summary>Produces one row's cells (strings, integers, booleans) in column order.</summary>
/// <remarks>Time is passed in so ages are deterministic; a printer never reads the clock.</remarks>
internal delegate JsonArray RowCells(JsonObject obj, DateTimeOffset now);

/// <summary>
/// The columns of one kind and the function filling them. Rows always carry every column,
/// priority 1 included: the server prints "wide" and kubectl hides what it does not show.
/// </summary>
/// <param name="Conditions">Optional TableRowConditions, e.g. "Completed" for finished pods.</param>
internal sealed record TablePrinter(ImmutableArray<TableColumn> Columns, RowCells Cells, Func<JsonObject, JsonArray?>? Conditions = null);
