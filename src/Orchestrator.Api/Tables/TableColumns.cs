using System.Collections.Immutable;
using Orchestrator.Api.Registry;
using Orchestrator.Api.Schema;

namespace Orchestrator.Api.Tables;

/// <summary>The column definitions the server advertises for a kind's tables.</summary>
public static class TableColumns
{
    /// <summary>
    /// The columns of <paramref name="kind"/>, priority 1 ("-o wide") included; for a kind with no
    /// printer (a custom resource), Name and Age.
    /// </summary>
    public static ImmutableArray<TableColumn> For(GroupKind kind) => TablePrinters.For(kind).Columns;

    /// <summary>The columns of <paramref name="resource"/>: a custom resource's additionalPrinterColumns, or its kind's.</summary>
    public static ImmutableArray<TableColumn> For(ResourceDefinition resource) => TablePrinters.For(resource).Columns;

    /// <summary>Whether <paramref name="kind"/> has its own columns rather than the custom-resource default.</summary>
    public static bool HasPrinter(GroupKind kind) => TablePrinters.HasPrinter(kind);
}
