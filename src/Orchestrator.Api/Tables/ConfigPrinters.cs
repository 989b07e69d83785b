using System.Text.Json.Nodes;

namespace Orchestrator.Api.Tables;

/// <summary>Configuration rows: ConfigMap, Secret, ServiceAccount. Counts are integer cells.</summary>
internal static class ConfigPrinters
{
    public static TablePrinter ConfigMap { get; } = new(
        [CommonColumns.Name, CommonColumns.Text("Data", "Data contains the configuration data."), CommonColumns.Age],
        (obj, now) => new JsonArray(
            obj.Name(),
            (long)(obj.Count("data") + obj.Count("binaryData")),
            HumanDuration.Since(obj.Created(), now)));

    public static TablePrinter Secret { get; } = new(
        [
            CommonColumns.Name,
            CommonColumns.Text("Type", "Used to facilitate programmatic handling of secret data."),
            CommonColumns.Text("Data", "Data contains the secret data."),
            CommonColumns.Age,
        ],
        // stringData is write-only (merged into data on write), so only data counts.
        (obj, now) => new JsonArray(obj.Name(), obj.Str("type") ?? "", (long)obj.Count("data"), HumanDuration.Since(obj.Created(), now)));

    public static TablePrinter ServiceAccount { get; } = new(
        [CommonColumns.Name, CommonColumns.Text("Secrets", "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use."), CommonColumns.Age],
        (obj, now) => new JsonArray(obj.Name(), (long)obj.Count("secrets"), HumanDuration.Since(obj.Created(), now)));
}
