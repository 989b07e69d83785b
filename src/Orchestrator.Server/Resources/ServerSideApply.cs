using System.Text.Json.Nodes;
using Orchestrator.Api.Apply;
using Orchestrator.Api.Errors;
using Orchestrator.Api.Patching;

namespace Orchestrator.Server.Resources;

/// <summary>PATCH application/apply-patch+yaml: the applied configuration merged with field ownership.</summary>
public static class ServerSideApply
{
    public static JsonObject Apply(ResourceRequest request, JsonObject? live, JsonNode? applied, DateTimeOffset now)
    {
        if (applied is not JsonObject config)
            throw ApiException.BadRequest("the apply patch must be an object");
        var query = request.Context.Request.Query;
        var manager = query["fieldManager"].ToString();
        if (manager.Length == 0)
            throw ApiException.BadRequest("PATCH, application/apply-patch+yaml requests must have a fieldManager");
        var force = query["force"].ToString() switch
        {
            "" or "false" => false,
            "true" => true,
            var other => throw ApiException.BadRequest($"invalid force value: {other}"),
        };
        var resource = request.Resource;
        if (config.Str("kind") is { } kind && kind != resource.Kind && request.Info.Subresource is null)
            throw ApiException.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({resource.Kind})");
        if (config.Str("metadata", "name") is { } name && name != request.Info.Name)
            throw ApiException.BadRequest($"the name of the object ({name}) does not match the name on the URL ({request.Info.Name})");
        Strategies.PodSpecRules.NormalizeQuantities(config);
        return ManagedFields.Apply(live, config, manager, force, ManagedFieldsTracking.SchemaFor(request), resource.GroupVersion.ToString(), now,
            request.Info.Subresource);
    }
}

/// <summary>metadata.managedFields for every non-apply write, as kube-apiserver's field manager keeps them.</summary>
public static class ManagedFieldsTracking
{
    public static void RecordUpdate(ResourceRequest request, JsonObject? old, JsonObject updated, DateTimeOffset now)
    {
        if (request.Context.Request.Headers.ContentType.ToString().StartsWith(Http.RequestBody.ApplyPatch, StringComparison.Ordinal))
            return; // the apply path already recorded its ownership
        var manager = ManagerName(request.Context);
        ManagedFields.RecordUpdate(old, updated, manager, request.Resource.GroupVersion.ToString(), now, request.Info.Subresource, SchemaFor(request), inPlace: true);
    }

    public static PatchSchema SchemaFor(ResourceRequest request) =>
        Api.Registry.BuiltInResources.All.Any(r => r.GroupVersionResource == request.Resource.GroupVersionResource)
            ? PatchSchema.Kubernetes
            : PatchSchema.ReplaceAllLists;

    /// <summary>fieldManager, else the client's program name from its User-Agent, as Kubernetes does.</summary>
    private static string ManagerName(HttpContext context)
    {
        var manager = context.Request.Query["fieldManager"].ToString();
        if (manager.Length > 0)
            return manager;
        var agent = context.Request.Headers.UserAgent.ToString();
        var program = agent.Split('/', ' ')[0];
        return program.Length == 0 ? "unknown" : program.Length > 128 ? program[..128] : program;
    }
}
