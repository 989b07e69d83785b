using System.Text.Json.Nodes;
using Orchestrator.Api.Registry;
using Orchestrator.Api.Tables;
using Orchestrator.Server.Resources;

namespace Orchestrator.Server.Http;

/// <summary>How a read answers: plain objects, or a meta.k8s.io Table when the client asks for one (kubectl get).</summary>
public sealed class Rendering
{
    private Rendering(bool table, string includeObject)
    {
        AsTable = table;
        IncludeObject = includeObject;
    }

    public bool AsTable { get; }

    public string IncludeObject { get; }

    public static Rendering For(HttpRequest request)
    {
        var accept = request.Headers.Accept.ToString();
        // The first acceptable type wins; kubectl lists Table first and plain JSON as the fallback.
        var table = accept.Split(',').Select(a => a.Trim())
            .TakeWhile(a => !a.StartsWith("application/json", StringComparison.Ordinal) || a.Contains("as=", StringComparison.Ordinal))
            .Any(a => a.Contains("as=Table", StringComparison.Ordinal));
        return new Rendering(table, request.Query["includeObject"].ToString());
    }

    public JsonObject List(ResourceDefinition resource, IReadOnlyList<JsonObject> items, string resourceVersion, string? continueToken, DateTimeOffset now)
    {
        if (AsTable)
            return Table.Build(resource, items, IncludeObject, resourceVersion, continueToken, null, now);
        var metadata = new JsonObject { ["resourceVersion"] = resourceVersion };
        if (continueToken is not null)
            metadata["continue"] = continueToken;
        return new JsonObject
        {
            ["kind"] = resource.ListKind,
            ["apiVersion"] = resource.GroupVersion.ToString(),
            ["metadata"] = metadata,
            ["items"] = new JsonArray([.. items]),
        };
    }

    public JsonNode One(ResourceDefinition resource, JsonObject obj, DateTimeOffset now, bool columnDefinitions = true) =>
        AsTable ? Table.Build(resource, [obj], IncludeObject, obj.Str("metadata", "resourceVersion"), null, null, now, columnDefinitions) : obj;
}
