using System.Text.Json.Nodes;

namespace Orchestrator.Api.Tables;

/// <summary>
/// One meta.k8s.io/v1 TableColumnDefinition. <see cref="Type"/> is an OpenAPI type ("string",
/// "integer", "boolean", "date"); <see cref="Format"/> is "name" for the column holding the
/// object's name; <see cref="Priority"/> 0 is always shown, 1 only with <c>kubectl get -o wide</c>.
/// </summary>
public sealed record TableColumn(string Name, string Type, string Description, int Priority = 0, string Format = "")
{
    /// <summary>The wire form; every field is written, as kube-apiserver does (no omitempty).</summary>
    public JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["type"] = Type,
        ["format"] = Format,
        ["description"] = Description,
        ["priority"] = Priority,
    };
}
