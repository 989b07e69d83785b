using System.Text.Json.Nodes;
using Orchestrator.Api.CustomResources;
using Orchestrator.Api.Errors;

using Orchestrator.Server.Resources;
using Orchestrator.Server.Resources.Strategies;

namespace Orchestrator.Server.CustomResources;

/// <summary>
/// CustomResourceDefinitions: kube's CRD validation, an empty status to start, and deletion held by the cleanup
/// finalizer until every custom resource of the definition is gone.
/// </summary>
public sealed class CustomResourceDefinitionStrategy : ResourceStrategy
{
    /// <summary>The finalizer kube's apiextensions-apiserver holds a deleted CRD with while its objects are deleted.</summary>
    public const string CleanupFinalizer = "customresourcecleanup.apiextensions.k8s.io";

    public CustomResourceDefinitionStrategy() => TracksGeneration = true;

    public override void PrepareForCreate(JsonObject obj) =>
        obj["status"] = new JsonObject { ["conditions"] = new JsonArray(), ["acceptedNames"] = new JsonObject { ["plural"] = "", ["kind"] = "" }, ["storedVersions"] = new JsonArray() };

    public override void Validate(JsonObject obj, FieldErrorList errors) => CustomResourceDefinitions.Validate(obj, errors);

    public override void ValidateUpdate(JsonObject obj, JsonObject old, FieldErrorList errors) => CustomResourceDefinitions.ValidateUpdate(obj, old, errors);

    /// <summary>A CRD goes Terminating with the cleanup finalizer; the registrar deletes its objects, then the finalizer.</summary>
    public override JsonObject? MarkForDeletion(JsonObject marked, JsonObject current, DeleteOptions options, DateTimeOffset now)
    {
        var metadata = marked.Metadata();
        if (!current.Finalizers().Contains(CleanupFinalizer))
        {
            var finalizers = metadata.Arr("finalizers")?.DeepClone() as JsonArray ?? [];
            finalizers.Add(CleanupFinalizer);
            metadata["finalizers"] = finalizers;
        }
        if (!current.IsDeleting())
        {
            metadata["deletionTimestamp"] = Json.Timestamp(now);
            metadata["deletionGracePeriodSeconds"] = 0;
            CrdConditions.Set(marked, "Terminating", "True", "InstanceDeletionPending", "CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon", now);
        }
        return marked;
    }
}
