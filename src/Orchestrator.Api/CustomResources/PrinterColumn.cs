namespace Orchestrator.Api.CustomResources;

/// <summary>
/// One additionalPrinterColumns entry of a CRD version: the column's name, OpenAPI type
/// (integer, number, string, boolean, date), format, description, priority (1 = wide only) and
/// the JSONPath that fills its cells.
/// </summary>
public sealed record PrinterColumn(string Name, string Type, string JsonPath, string Format = "", string Description = "", int Priority = 0);
