using System.Text.Json.Nodes;
using Orchestrator.Api.Objects;

namespace Orchestrator.Api.Tables;

/// <summary>
/// CustomResourceDefinition: kube has no printer for it and serves the default table, NAME and
/// CREATED AT, whose cell is the RFC 3339 creation time rather than an age.
/// </summary>
internal static class ApiExtensionsPrinters
{
    public static TablePrinter CustomResourceDefinition { get; } = new(
        [CommonColumns.Name, new TableColumn("Created At", "date", CommonColumns.CreationTimestampDescription)],
        Cells);

    private static JsonArray Cells(JsonObject obj, DateTimeOffset now) =>
        new(obj.Name(), obj.Created() is { } created ? Json.Timestamp(created) : null);
}
