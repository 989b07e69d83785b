using Orchestrator.Server.Resources;
using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;
using Orchestrator.Api.Registry;
using Orchestrator.Api.Selectors;

namespace Orchestrator.Server.Http.Rest;

/// <summary>
/// GET, PUT and PATCH of .../scale as an autoscaling/v1 Scale: its spec.replicas becomes the object's, with a
/// compare-and-swap on the object's revision. Where the replica counts and selector live comes from the resource:
/// spec.replicas, status.replicas and the spec.selector object for built-ins; the CRD's paths for custom resources.
/// </summary>
public sealed class ScaleRest(ScalePaths paths) : ISubresourceRest
{
    private static readonly ScaleRest BuiltIn = new(ScalePaths.BuiltIn);

    private static readonly ScaleRest BuiltInMapSelector = new(ScalePaths.BuiltIn with { Selector = ScaleSelector.Map });

    public static ScaleRest For(ResourceStore store) =>
        store.Resource.Custom?.Scale is { } custom ? new(ScalePaths.Of(custom))
        : store.Strategy.SelectorIsMap ? BuiltInMapSelector
        : BuiltIn;

    public async Task HandleAsync(RestRequest request)
    {
        var store = request.Store;
        if (request.Info.Verb == "get")
        {
            var current = await store.GetAsync(request.Namespace, request.Name, local: request.Query("resourceVersion") == "0", request.Token);
            await request.RespondAsync(200, ToScale(current));
            return;
        }
        var write = request.Write("scale");
        (string Type, JsonNode? Patch)? patch = request.Info.Verb == "patch" ? await RequestBody.ReadPatchAsync(request.Context.Request, request.Token) : null;
        var body = patch is null ? await RequestBody.ReadObjectAsync(request.Context.Request, request.Token) : null;
        var result = await store.ChangeAsync(request.Namespace, request.Name, current =>
        {
            var scale = ToScale(current);
            // apply speaks of the Scale, not the object: it merges like a merge patch.
            var desired = patch is { } p ? store.ApplyPatch(p.Type == PatchTypes.Apply ? PatchTypes.Merge : p.Type, scale, p.Patch) : body!;
            var replicas = desired.Long("spec", "replicas");
            var errors = new FieldErrorList();
            if (replicas is null or < 0)
                errors.Invalid(FieldPath.Root("spec", "replicas"), replicas, "must be greater than or equal to 0");
            errors.ThrowIfAny(new("autoscaling", "Scale"), request.Name);
            var copy = (JsonObject)current.DeepClone();
            paths.SetSpecReplicas(copy, replicas!.Value);
            // PUT pins the revision it sent; a patch only one it set differently.
            var given = desired.Str("metadata", "resourceVersion");
            if (!string.IsNullOrEmpty(given) && (patch is null || given != scale.Str("metadata", "resourceVersion")))
                copy.Metadata()["resourceVersion"] = given;
            else
                copy.Metadata().Remove("resourceVersion");
            return copy;
        }, write, request.Token);
        await request.RespondAsync(200, ToScale(result), write);
    }

    private JsonObject ToScale(JsonObject obj)
    {
        var metadata = new JsonObject();
        foreach (var field in new[] { "name", "namespace", "uid", "resourceVersion", "creationTimestamp" })
        {
            if (obj.Obj("metadata")?[field] is { } value)
                metadata[field] = value.DeepClone();
        }
        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = metadata,
            ["spec"] = new JsonObject { ["replicas"] = paths.SpecReplicas(obj) },
            ["status"] = new JsonObject { ["replicas"] = paths.StatusReplicas(obj), ["selector"] = paths.SelectorText(obj) },
        };
    }
}

/// <summary>How a scalable resource writes its selector: a LabelSelector object, a plain label map, or selector text (a CRD's).</summary>
public enum ScaleSelector
{
    LabelSelector,
    Map,
    Serialized,
}

/// <summary>Where a scalable resource keeps its desired and current replica counts and its selector.</summary>
public sealed record ScalePaths(string[] Spec, string[] Status, string[]? SelectorPath, ScaleSelector Selector)
{
    public static ScalePaths BuiltIn { get; } = new(["spec", "replicas"], ["status", "replicas"], ["spec", "selector"], ScaleSelector.LabelSelector);

    /// <summary>A CRD's scale subresource: JSON paths such as ".spec.replicas"; its selector path holds a serialized selector.</summary>
    public static ScalePaths Of(Api.CustomResources.ScaleSubresource scale) =>
        new(Split(scale.SpecReplicasPath), Split(scale.StatusReplicasPath), scale.LabelSelectorPath is { Length: > 0 } s ? Split(s) : null, ScaleSelector.Serialized);

    private static string[] Split(string path) => path.TrimStart('.').Split('.');

    public long SpecReplicas(JsonObject obj) => obj.Long(Spec) ?? 0;

    public long StatusReplicas(JsonObject obj) => obj.Long(Status) ?? 0;

    public void SetSpecReplicas(JsonObject obj, long replicas)
    {
        JsonObject parent = obj;
        foreach (var part in Spec[..^1])
            parent = parent.Child(part);
        parent[Spec[^1]] = replicas;
    }

    public string SelectorText(JsonObject obj)
    {
        if (SelectorPath is null)
            return "";
        if (Selector == ScaleSelector.Serialized)
            return obj.Str(SelectorPath) ?? "";
        try
        {
            if (obj.Obj(SelectorPath) is not { } selector)
                return "";
            return (Selector == ScaleSelector.Map ? LabelSelector.FromMap(selector) : LabelSelector.FromJson(selector)).ToString();
        }
        catch (ApiException)
        {
            return "";
        }
    }
}
