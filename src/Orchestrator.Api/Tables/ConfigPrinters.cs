using System.Text.Json.Nodes;

namespace Orchestrator.Api.Tables;

/// <summary>Configuration rows: ConfigMap, Secret, ServiceAccount. Counts are integer cells.</summary>
internal static class ConfigPrinters
{
    public static TablePrinter ConfigMap { get; } = new(
        [CommonColumns.Name, CommonColumns.Text("Data", "Data contains the configuration data."), CommonColumns.Age],
        (obj, now) => new JsonArray(
            Fields.Name(obj),
            (long)(Fields.Count(obj, "data") + Fields.Count(obj, "binaryData")),
            Fields.Age(obj, now)));

    public static TablePrinter Secret { get; } = new(
        [
            CommonColumns.Name,
            CommonColumns.Text("Type", "Used to facilitate programmatic handling of secret data."),
            CommonColumns.Text("Data", "Data contains the secret data."),
            CommonColumns.Age,
        ],
        // stringData is write-only (merged into data on write), so only data counts.
        (obj, now) => new JsonArray(Fields.Name(obj), Fields.Str(obj, "type"), (long)Fields.Count(obj, "data"), Fields.Age(obj, now)));

    public static TablePrinter ServiceAccount { get; } = new(
        [CommonColumns.Name, CommonColumns.Text("Secrets", "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use."), CommonColumns.Age],
        (obj, now) => new JsonArray(Fields.Name(obj), (long)Fields.Count(obj, "secrets"), Fields.Age(obj, now)));
}
