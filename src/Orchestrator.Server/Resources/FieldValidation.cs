using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;
using Orchestrator.Api.OpenApi;
using Orchestrator.Api.Schema;

namespace Orchestrator.Server.Resources;

/// <summary>
/// fieldValidation=Strict|Warn|Ignore: unknown fields are a 400 in Strict, a Warning header in
/// Warn (the default, as in Kubernetes 1.27+), and nothing in Ignore.
/// </summary>
public static class FieldValidation
{
    public static IReadOnlyList<string> Check(HttpContext context, GroupVersionKind kind, JsonObject obj)
    {
        var mode = context.Request.Query["fieldValidation"].ToString();
        if (mode is not ("" or "Strict" or "Warn" or "Ignore"))
            throw ApiException.BadRequest($"fieldValidation parameter unsupported: {mode}");
        if (mode == "Ignore")
            return [];
        var unknown = StrictFieldValidation.UnknownFields(kind, obj);
        if (unknown.Count == 0)
            return unknown;
        var messages = unknown.Select(f => $"unknown field \"{f}\"").ToList();
        if (mode == "Strict")
            throw ApiException.BadRequest(StrictFieldValidation.Message(unknown));
        foreach (var message in messages)
            context.Response.Headers.Append("Warning", $"299 - \"{message.Replace("\"", "\\\"")}\"");
        return unknown;
    }
}
