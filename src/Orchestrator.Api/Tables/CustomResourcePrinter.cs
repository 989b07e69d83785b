using System.Text.Json.Nodes;

namespace Orchestrator.Api.Tables;

/// <summary>
/// Kinds without a printer (custom resources). kube-apiserver serves a CRD version that has no
/// additionalPrinterColumns with Name plus a defaulted "Age" column of type "date" whose cell is
/// already humanized, so kubectl shows NAME AGE. (The "Created At" RFC 3339 table is the generic
/// fallback for built-in kinds lacking a printer; every built-in here has one.)
/// </summary>
internal static class CustomResourcePrinter
{
    public static TablePrinter Printer { get; } = new(
        [CommonColumns.Name, new TableColumn("Age", "date", CommonColumns.CreationTimestampDescription)],
        Cells);

    private static JsonArray Cells(JsonObject obj, DateTimeOffset now) =>
        new(
            obj.Name(),
            // A missing timestamp gives a null cell, as a JSONPath column that finds nothing.
            obj.Time("metadata", "creationTimestamp") is { } created ? HumanDuration.Since(created, now) : null);
}
