using System.Text.Json.Nodes;
using Orchestrator.Api.Apply;
using Orchestrator.Api.Errors;
using Orchestrator.Api.Patching;

namespace Orchestrator.Server.Resources;

/// <summary>The four patch media types Kubernetes accepts.</summary>
public static class PatchTypes
{
    public const string Json = "application/json-patch+json";
    public const string Merge = "application/merge-patch+json";
    public const string StrategicMerge = "application/strategic-merge-patch+json";
    public const string Apply = "application/apply-patch+yaml";

    public static readonly string[] All = [Json, Merge, StrategicMerge, Apply];
}

partial class ResourceStore
{
    /// <summary>
    /// What a patch of <paramref name="type"/> makes of an object; for apply also of none (null: the object is created).
    /// Server-side apply merges with field ownership (<paramref name="context"/>'s manager and force).
    /// </summary>
    public Func<JsonObject?, JsonObject> Patcher(string type, JsonNode? patch, string name, WriteContext context) => type switch
    {
        PatchTypes.Apply => current => ServerSideApply(current, patch, name, context),
        _ => current => ApplyPatch(type, current ?? throw ApiException.NotFound(Resource.GroupResource, name), patch),
    };

    /// <summary>A JSON, merge or strategic merge patch applied to a copy of <paramref name="current"/>.</summary>
    public JsonObject ApplyPatch(string type, JsonObject current, JsonNode? patch)
    {
        try
        {
            var result = type switch
            {
                PatchTypes.Json => JsonPatch.Parse(patch).Apply(current),
                PatchTypes.Merge => JsonMergePatch.Apply(current.DeepClone(), patch),
                PatchTypes.StrategicMerge when Strategy.SupportsStrategicMerge => StrategicMergePatch.Apply(current, patch, Strategy.PatchSchema),
                PatchTypes.StrategicMerge => throw ApiException.UnsupportedMediaType([PatchTypes.Json, PatchTypes.Merge, PatchTypes.Apply]),
                _ => throw ApiException.UnsupportedMediaType(PatchTypes.All),
            };
            return result as JsonObject ?? throw ApiException.BadRequest("the patch must leave an object");
        }
        catch (PatchException e)
        {
            throw e.ToApiException();
        }
    }

    /// <summary>PATCH application/apply-patch+yaml: the applied configuration merged with field ownership.</summary>
    private JsonObject ServerSideApply(JsonObject? live, JsonNode? applied, string name, WriteContext context)
    {
        if (applied is not JsonObject config)
            throw ApiException.BadRequest("the apply patch must be an object");
        if (context.FieldManager.Length == 0)
            throw ApiException.BadRequest("PATCH, application/apply-patch+yaml requests must have a fieldManager");
        if (config.Str("kind") is { } kind && kind != Resource.Kind && context.Subresource is null)
            throw ApiException.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({Resource.Kind})");
        if (config.Str("metadata", "name") is { } configName && configName != name)
            throw ApiException.BadRequest($"the name of the object ({configName}) does not match the name on the URL ({name})");
        config = (JsonObject)config.DeepClone();
        Strategy.Canonicalize(config);
        return ManagedFields.Apply(live, config, context.FieldManager, context.Force, Strategy.PatchSchema, Resource.GroupVersion.ToString(), Now, context.Subresource);
    }
}
