using System.Globalization;
using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;
using Orchestrator.Api.Patching;
using Orchestrator.Api.Registry;
using Orchestrator.Api.Selectors;
using Orchestrator.Server.Http;

namespace Orchestrator.Server.Resources;

partial class ResourceHandler
{
    private Task HandleSubresourceAsync(ResourceRequest request, SubresourceDefinition subresource)
    {
        var verb = request.Info.Verb;
        if (request.Info.Name is null || !subresource.Verbs.Contains(verb))
            throw ApiException.MethodNotAllowed(request.Resource.GroupResource, verb);
        return (subresource.Name, verb) switch
        {
            ("status", "get") => GetAsync(request),
            ("status", "update" or "patch") => WriteStatusAsync(request),
            ("scale", "get") => GetScaleAsync(request),
            ("scale", "update" or "patch") => WriteScaleAsync(request),
            ("binding", "create") => BindAsync(request),
            ("eviction", "create") => EvictAsync(request),
            ("log", "get") => GetLogAsync(request),
            ("exec", "get" or "create") => ExecAsync(request),
            ("finalize", "update") => FinalizeAsync(request),
            _ => throw new ApiException(Status.Failed(404, StatusReasons.NotFound,
                $"the server could not find the requested resource ({verb} {request.Resource.Plural}/{subresource.Name})")),
        };
    }

    /// <summary>PUT/PATCH .../status: only status changes; everything else stays as stored.</summary>
    private async Task WriteStatusAsync(ResourceRequest request)
    {
        var token = request.Token;
        var dryRun = IsDryRun(request.Context);
        (string Type, JsonNode? Patch)? patch = request.Info.Verb == "patch" ? await RequestBody.ReadPatchAsync(request.Context.Request, token) : null;
        var body = patch is null ? await RequestBody.ReadObjectAsync(request.Context.Request, token) : null;
        for (var attempt = 1; ; attempt++)
        {
            var current = await objects.GetAsync(request.Key, local: false, token)
                ?? throw ApiException.NotFound(request.Resource.GroupResource, request.Info.Name!);
            var source = patch is { } p
                ? (p.Type == RequestBody.ApplyPatch ? ServerSideApply.Apply(request, current, p.Patch, Now) : ApplyPatch(request, p.Type, current, p.Patch))
                : body!;
            var expected = ParseRevision(current.Str("metadata", "resourceVersion"), "resourceVersion");
            var given = source.Str("metadata", "resourceVersion");
            var explicitPrecondition = patch is null && !string.IsNullOrEmpty(given) || patch is not null && given is not null && given != current.Str("metadata", "resourceVersion");
            if (explicitPrecondition && ParseRevision(given, "resourceVersion") != expected)
                throw ApiException.Conflict(request.Resource.GroupResource, request.Info.Name!);
            var updated = (JsonObject)current.DeepClone();
            if (source["status"] is { } status)
                updated["status"] = status.DeepClone();
            else
                updated.Remove("status");
            ManagedFieldsTracking.RecordUpdate(request, current, updated, Now);
            try
            {
                var (code, result) = await WriteUpdateAsync(request, current, updated, expected, dryRun, token);
                await ApiResponses.WriteJsonAsync(request.Context, code, result);
                return;
            }
            catch (ApiException e) when (e.Reason == StatusReasons.Conflict && !explicitPrecondition && attempt < PatchAttempts)
            {
            }
        }
    }

    /// <summary>
    /// PUT namespaces/{name}/finalize: only spec.finalizers changes (the namespace controller removes
    /// "kubernetes" there); a terminating namespace with no finalizers left is then deleted.
    /// </summary>
    private async Task FinalizeAsync(ResourceRequest request)
    {
        var token = request.Token;
        var body = await RequestBody.ReadObjectAsync(request.Context.Request, token);
        var current = await objects.GetAsync(request.Key, local: false, token)
            ?? throw ApiException.NotFound(request.Resource.GroupResource, request.Info.Name!);
        var expected = ParseRevision(current.Str("metadata", "resourceVersion"), "resourceVersion");
        if (body.Str("metadata", "resourceVersion") is { Length: > 0 } given && ParseRevision(given, "resourceVersion") != expected)
            throw ApiException.Conflict(request.Resource.GroupResource, request.Info.Name!);
        var updated = (JsonObject)current.DeepClone();
        var finalizers = body.Arr("spec", "finalizers");
        if (finalizers is null)
            updated.Child("spec").Remove("finalizers");
        else
            updated.Child("spec")["finalizers"] = finalizers.DeepClone();
        var (code, result) = await WriteUpdateAsync(request, current, updated, expected, IsDryRun(request.Context), token);
        await ApiResponses.WriteJsonAsync(request.Context, code, result);
    }

    private async Task GetScaleAsync(ResourceRequest request)
    {
        var current = await objects.GetAsync(request.Key, local: request.Context.Request.Query["resourceVersion"] == "0", request.Token)
            ?? throw ApiException.NotFound(request.Resource.GroupResource, request.Info.Name!);
        await ApiResponses.WriteJsonAsync(request.Context, 200, ToScale(current));
    }

    /// <summary>PUT/PATCH .../scale: the Scale's spec.replicas becomes the object's, compare-and-swap on its revision.</summary>
    private async Task WriteScaleAsync(ResourceRequest request)
    {
        var token = request.Token;
        var dryRun = IsDryRun(request.Context);
        (string Type, JsonNode? Patch)? patch = request.Info.Verb == "patch" ? await RequestBody.ReadPatchAsync(request.Context.Request, token) : null;
        var body = patch is null ? await RequestBody.ReadObjectAsync(request.Context.Request, token) : null;
        for (var attempt = 1; ; attempt++)
        {
            var current = await objects.GetAsync(request.Key, local: false, token)
                ?? throw ApiException.NotFound(request.Resource.GroupResource, request.Info.Name!);
            var scale = ToScale(current);
            var desired = patch is { } p ? ApplyPatch(request with { Resource = request.Resource }, p.Type == RequestBody.ApplyPatch ? RequestBody.MergePatch : p.Type, scale, p.Patch) : body!;
            var replicas = desired.Long("spec", "replicas");
            var errors = new FieldErrorList();
            if (replicas is null or < 0)
                errors.Invalid(FieldPath.Root("spec", "replicas"), replicas, "must be greater than or equal to 0");
            errors.ThrowIfAny(new("autoscaling", "Scale"), request.Info.Name!);
            var expected = ParseRevision(current.Str("metadata", "resourceVersion"), "resourceVersion");
            var given = desired.Str("metadata", "resourceVersion");
            var explicitPrecondition = !string.IsNullOrEmpty(given) && given != scale.Str("metadata", "resourceVersion") || patch is null && !string.IsNullOrEmpty(given);
            if (explicitPrecondition && ParseRevision(given, "resourceVersion") != expected)
                throw ApiException.Conflict(request.Resource.GroupResource, request.Info.Name!);
            var updated = (JsonObject)current.DeepClone();
            updated.Child("spec")["replicas"] = replicas;
            if (TracksGeneration(request) && current.Long("spec", "replicas") != replicas)
                updated.Metadata()["generation"] = (current.Long("metadata", "generation") ?? 1) + 1;
            ManagedFieldsTracking.RecordUpdate(request, current, updated, Now);
            try
            {
                var (code, result) = await WriteUpdateAsync(request, current, updated, expected, dryRun, token);
                await ApiResponses.WriteJsonAsync(request.Context, code, ToScale(result));
                return;
            }
            catch (ApiException e) when (e.Reason == StatusReasons.Conflict && !explicitPrecondition && attempt < PatchAttempts)
            {
            }
        }
    }

    private static JsonObject ToScale(JsonObject obj)
    {
        var metadata = new JsonObject();
        foreach (var field in new[] { "name", "namespace", "uid", "resourceVersion", "creationTimestamp" })
        {
            if (obj.Obj("metadata")?[field] is { } value)
                metadata[field] = value.DeepClone();
        }
        var selector = obj.Obj("spec", "selector") is { } s ? SelectorString(s) : "";
        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = metadata,
            ["spec"] = new JsonObject { ["replicas"] = obj.Long("spec", "replicas") ?? 0 },
            ["status"] = new JsonObject { ["replicas"] = obj.Long("status", "replicas") ?? 0, ["selector"] = selector },
        };
    }

    private static string SelectorString(JsonObject selector)
    {
        try
        {
            return LabelSelector.FromJson(selector).ToString();
        }
        catch (ApiException)
        {
            return "";
        }
    }

    /// <summary>POST pods/{name}/binding: sets spec.nodeName once, with the PodScheduled condition.</summary>
    private async Task BindAsync(ResourceRequest request)
    {
        var body = await RequestBody.ReadObjectAsync(request.Context.Request, request.Token);
        var node = body.Str("target", "name");
        if (string.IsNullOrEmpty(node))
            throw ApiException.Invalid(new("", "Binding"), request.Info.Name!, [new FieldError("target.name", Api.Errors.FieldErrorType.Required, null, "", HasValue: false)]);
        string uidOfBound;
        for (var attempt = 1; ; attempt++)
        {
            var current = await objects.GetAsync(request.Key, local: false, request.Token)
                ?? throw ApiException.NotFound(request.Resource.GroupResource, request.Info.Name!);
            if (body.Str("metadata", "uid") is { Length: > 0 } uid && uid != current.Str("metadata", "uid"))
                throw ApiException.Conflict(request.Resource.GroupResource, request.Info.Name!, "the UID in the binding does not match the pod");
            if (current.Str("spec", "nodeName") is { Length: > 0 } bound)
                throw ApiException.Conflict(request.Resource.GroupResource, request.Info.Name!, $"pod {request.Info.Name} is already assigned to node \"{bound}\"");
            if (current.Obj("metadata")?["deletionTimestamp"] is not null)
                throw ApiException.Conflict(request.Resource.GroupResource, request.Info.Name!, "the pod is being deleted");
            var updated = (JsonObject)current.DeepClone();
            updated.Child("spec")["nodeName"] = node;
            var conditions = updated.Child("status")["conditions"] as JsonArray ?? [];
            var scheduled = conditions.OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == "PodScheduled");
            if (scheduled is null)
            {
                scheduled = new JsonObject { ["type"] = "PodScheduled" };
                conditions.Add(scheduled);
            }
            scheduled["status"] = "True";
            scheduled["lastProbeTime"] = null;
            scheduled["lastTransitionTime"] = Timestamp();
            scheduled.Remove("reason");
            scheduled.Remove("message");
            updated.Child("status")["conditions"] = conditions.Parent is null ? conditions : conditions.DeepClone();
            var expected = ParseRevision(current.Str("metadata", "resourceVersion"), "resourceVersion");
            try
            {
                await WriteUpdateAsync(request, current, updated, expected, IsDryRun(request.Context), request.Token);
                uidOfBound = current.Str("metadata", "uid") ?? "";
                break;
            }
            catch (ApiException e) when (e.Reason == StatusReasons.Conflict && attempt < PatchAttempts)
            {
                // The pod changed since it was read (e.g. the scheduler marked it Unschedulable): bind the fresh copy.
            }
        }
        var success = ApiResponses.Success(request.Info.Name, "", "pods", uidOfBound);
        success.Remove("details");
        await ApiResponses.WriteJsonAsync(request.Context, 201, success);
    }
}
