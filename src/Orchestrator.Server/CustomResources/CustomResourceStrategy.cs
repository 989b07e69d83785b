using System.Text.Json.Nodes;
using Orchestrator.Api.CustomResources;
using Orchestrator.Api.Errors;
using Orchestrator.Api.Registry;

using Orchestrator.Server.Resources;
using Orchestrator.Server.Resources.Strategies;

namespace Orchestrator.Server.CustomResources;

/// <summary>
/// A custom resource's rules come from its CRD version: unknown fields pruned, schema defaults, structural validation
/// (of status too, through its subresource), generation tracking, and the schema's list types for apply.
/// </summary>
public sealed class CustomResourceStrategy : ResourceStrategy
{
    private readonly CustomResourceVersion version;

    public CustomResourceStrategy(CustomResourceVersion version)
    {
        this.version = version;
        TracksGeneration = true;
        PatchSchema = version.PatchSchema;
        SupportsStrategicMerge = false;
        ServesSeveralVersions = true;
    }

    /// <summary>Custom resources are decoded without a type, so a foreign kind reaches validation: 422 on field kind, as kube's.</summary>
    public override ApiException KindMismatch(ResourceDefinition resource, string kind) =>
        ApiException.Invalid(resource.GroupKind, "", [new FieldError("kind", FieldErrorType.Invalid, kind, $"must be {resource.Kind}")]);

    /// <summary>Unknown fields are dropped, as apiextensions-apiserver prunes (they were reported or refused before).</summary>
    public override void Canonicalize(JsonObject obj) => version.Schema.Prune(obj);

    public override void ApplyDefaults(JsonObject obj) => version.Schema.ApplyDefaults(obj);

    public override void Validate(JsonObject obj, FieldErrorList errors) => version.Schema.Validate(obj, errors);

    public override void ValidateStatusUpdate(JsonObject obj, JsonObject old, FieldErrorList errors) => version.Schema.Validate(obj, errors);
}
