using System.Text.Json.Nodes;
using Orchestrator.Api.Schema;
using Orchestrator.Api.Tables;

namespace Orchestrator.Api.Tests.Tables;

/// <summary>A fixed clock and a helper that prints one object's cells.</summary>
internal static class TableTestData
{
    /// <summary>"now" for every test; objects are created relative to it.</summary>
    public static readonly DateTimeOffset Now = new(2025, 1, 15, 12, 0, 0, TimeSpan.Zero);

    public static string Ago(TimeSpan age) => (Now - age).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The cells of <paramref name="obj"/> as printed for <paramref name="kind"/>.</summary>
    public static JsonArray Cells(GroupKind kind, JsonObject obj)
    {
        JsonObject table = Table.Build(kind, [obj], TableIncludeObject.None, null, null, null, Now);
        return table["rows"]![0]!["cells"]!.AsArray();
    }

    /// <summary>The cell under the column named <paramref name="column"/>.</summary>
    public static JsonNode? Cell(GroupKind kind, JsonObject obj, string column)
    {
        int index = TableColumns.For(kind).Select(c => c.Name).ToList().IndexOf(column);
        Assert.True(index >= 0, $"{kind} has no column {column}");
        return Cells(kind, obj)[index];
    }
}
