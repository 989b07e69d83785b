using System.Text.Json.Nodes;
using Orchestrator.Api.Objects;

namespace Orchestrator.Api.Tables;

/// <summary>
/// kube's default table for kinds without a printer of their own (CustomResourceDefinition, Role, ClusterRole):
/// NAME and CREATED AT, whose cell is the RFC 3339 creation time rather than an age.
/// </summary>
internal static class DefaultTablePrinter
{
    public static TablePrinter Printer { get; } = new(
        [CommonColumns.Name, new TableColumn("Created At", "date", CommonColumns.CreationTimestampDescription)],
        (obj, _) => new JsonArray(obj.Name(), obj.Created() is { } created ? Json.Timestamp(created) : null));
}
