using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;
using Orchestrator.Api.Patching;
using Orchestrator.Api.Validation;
using Orchestrator.Server.Http;

namespace Orchestrator.Server.Resources;

partial class ResourceHandler
{
    /// <summary>How many times a patch is re-applied to a fresh copy when a concurrent write got in first.</summary>
    private const int PatchAttempts = 8;

    private readonly NameGenerator names = new(Random.Shared);

    private async Task CreateAsync(ResourceRequest request)
    {
        var body = await RequestBody.ReadObjectAsync(request.Context.Request, request.Token);
        var created = await CreateObjectAsync(request, body, IsDryRun(request.Context), request.Token);
        await ApiResponses.WriteJsonAsync(request.Context, 201, created);
    }

    /// <summary>The create path shared by POST, PUT of an absent object where allowed, and server-side apply.</summary>
    private async Task<JsonObject> CreateObjectAsync(ResourceRequest request, JsonObject obj, bool dryRun, CancellationToken token)
    {
        var resource = request.Resource;
        CheckTypeMeta(request, obj);
        var warnings = FieldValidation.Check(request.Context, resource.GroupVersionKind, obj);
        var metadata = obj.Metadata();
        SetNamespace(request, obj);
        if (request.Info.Name is { } urlName && obj.Name() != urlName)
            throw ApiException.BadRequest($"the name of the object ({obj.Name()}) does not match the name on the URL ({urlName})");
        var generated = string.IsNullOrEmpty(obj.Name()) && !string.IsNullOrEmpty(metadata.Str("generateName"));

        metadata["uid"] = Guid.NewGuid().ToString();
        metadata["creationTimestamp"] = Timestamp();
        metadata.Remove("resourceVersion");
        metadata.Remove("deletionTimestamp");
        metadata.Remove("deletionGracePeriodSeconds");
        metadata.Remove("selfLink");
        if (TracksGeneration(request))
            metadata["generation"] = 1;
        else
            metadata.Remove("generation");
        if (!request.Strategy.KeepsStatusOnCreate && resource.FindSubresource("status") is not null)
            obj.Remove("status");
        request.Strategy.ApplyDefaults(obj);
        request.Strategy.PrepareForCreate(obj);

        if (generated)
            metadata["name"] = names.Generate(metadata.Str("generateName")!);
        Validate(request, obj, old: null);
        await RequireNamespaceAsync(request, obj.Namespace(), token);
        ManagedFieldsTracking.RecordUpdate(request, null, obj, Now);
        if (dryRun)
            return obj;

        for (var attempt = 0; ; attempt++)
        {
            var key = ObjectStore.Key(resource, obj.Namespace(), obj.Name());
            await request.Strategy.BeforeCreateAsync(obj, objects, token);
            try
            {
                return await objects.CreateAsync(resource.GroupResource, key, obj, token);
            }
            catch (ApiException e) when (e.Reason == StatusReasons.AlreadyExists && generated && attempt < 8)
            {
                // A generated name collided: release and try another suffix, as kube-apiserver does.
                await request.Strategy.ReleaseAsync(obj, objects, CancellationToken.None);
                metadata["name"] = names.Generate(metadata.Str("generateName")!);
            }
            catch
            {
                await request.Strategy.ReleaseAsync(obj, objects, CancellationToken.None);
                throw;
            }
        }
    }

    private async Task UpdateAsync(ResourceRequest request)
    {
        var body = await RequestBody.ReadObjectAsync(request.Context.Request, request.Token);
        CheckTypeMeta(request, body);
        FieldValidation.Check(request.Context, request.Resource.GroupVersionKind, body);
        SetNamespace(request, body);
        if (body.Name() != request.Info.Name)
            throw ApiException.BadRequest($"the name of the object ({body.Name()}) does not match the name on the URL ({request.Info.Name})");
        var dryRun = IsDryRun(request.Context);
        var current = await objects.GetAsync(request.Key, local: false, request.Token);
        if (current is null)
        {
            if (!AllowsCreateOnUpdate(request))
                throw ApiException.NotFound(request.Resource.GroupResource, request.Info.Name!);
            await ApiResponses.WriteJsonAsync(request.Context, 201, await CreateObjectAsync(request, body, dryRun, request.Token));
            return;
        }
        var (status, result) = await UpdateObjectAsync(request, current, body, preconditionFromBody: true, dryRun, request.Token);
        await ApiResponses.WriteJsonAsync(request.Context, status, result);
    }

    /// <summary>
    /// Writes <paramref name="updated"/> over <paramref name="current"/> with a compare-and-swap on the
    /// revision read. System fields are carried over, status is kept (it has its own subresource),
    /// generation bumps when the spec changed, and a no-op is not written at all.
    /// </summary>
    private async Task<(int Status, JsonObject Result)> UpdateObjectAsync(
        ResourceRequest request, JsonObject current, JsonObject updated, bool preconditionFromBody, bool dryRun, CancellationToken token)
    {
        var resource = request.Resource;
        var currentRevision = ParseRevision(current.Str("metadata", "resourceVersion"), "resourceVersion");
        var expected = currentRevision;
        if (preconditionFromBody && updated.Str("metadata", "resourceVersion") is { Length: > 0 } given)
        {
            expected = ParseRevision(given, "resourceVersion");
            if (expected != currentRevision)
                throw ApiException.Conflict(resource.GroupResource, request.Info.Name!);
        }
        var metadata = updated.Metadata();
        var old = current.Obj("metadata")!;
        foreach (var field in new[] { "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "namespace", "name" })
        {
            if (old[field] is { } value)
                metadata[field] = value.DeepClone();
            else
                metadata.Remove(field);
        }
        metadata.Remove("resourceVersion");
        if (metadata["managedFields"] is null && old["managedFields"] is { } managed)
            metadata["managedFields"] = managed.DeepClone();
        if (resource.FindSubresource("status") is not null)
        {
            if (current["status"] is { } status)
                updated["status"] = status.DeepClone();
            else
                updated.Remove("status");
        }
        request.Strategy.ApplyDefaults(updated);
        request.Strategy.PrepareForUpdate(updated, current);
        if (TracksGeneration(request))
        {
            var generation = current.Long("metadata", "generation") ?? 1;
            metadata["generation"] = SpecChanged(current, updated) ? generation + 1 : generation;
        }
        Validate(request, updated, current);
        ManagedFieldsTracking.RecordUpdate(request, current, updated, Now);
        if (dryRun)
            return await WriteUpdateAsync(request, current, updated, expected, dryRun, token);
        await request.Strategy.BeforeUpdateAsync(updated, current, objects, token);
        try
        {
            var written = await WriteUpdateAsync(request, current, updated, expected, dryRun, token);
            await request.Strategy.ReleaseDroppedAsync(current, written.Result, objects, CancellationToken.None);
            return written;
        }
        catch
        {
            // Give back what this update took; what the stored object holds stays.
            await request.Strategy.ReleaseDroppedAsync(updated, current, objects, CancellationToken.None);
            throw;
        }
    }

    /// <summary>The store write of an update, shared with subresources; finishes deletion when the last finalizer goes.</summary>
    private async Task<(int Status, JsonObject Result)> WriteUpdateAsync(
        ResourceRequest request, JsonObject current, JsonObject updated, long expected, bool dryRun, CancellationToken token)
    {
        if (SameContent(current, updated))
            return (200, current);
        if (dryRun)
        {
            updated.Metadata()["resourceVersion"] = current.Str("metadata", "resourceVersion");
            return (200, updated);
        }
        var key = ObjectStore.Key(request.Resource, current.Namespace(), current.Name());
        var stored = await objects.UpdateAsync(request.Resource.GroupResource, key, updated, expected, token);
        if (IsDeletionFinished(stored))
        {
            var revision = ParseRevision(stored.Str("metadata", "resourceVersion"), "resourceVersion");
            var deleted = await objects.DeleteAsync(request.Resource.GroupResource, key, stored, revision, token);
            await request.Strategy.ReleaseAsync(deleted, objects, CancellationToken.None);
            return (200, deleted);
        }
        return (200, stored);
    }

    /// <summary>
    /// Marked for deletion with no grace period left and nothing holding it: the last finalizer went,
    /// so the object goes (a graceful pod waits for its node; a namespace also for spec.finalizers, which the namespace
    /// controller empties through namespaces/finalize).
    /// </summary>
    private static bool IsDeletionFinished(JsonObject obj) =>
        obj.Obj("metadata")?["deletionTimestamp"] is not null
        && (obj.Long("metadata", "deletionGracePeriodSeconds") ?? 0) == 0
        && (obj.Arr("metadata", "finalizers")?.Count ?? 0) == 0
        && (obj.Str("kind") != "Namespace" || (obj.Arr("spec", "finalizers")?.Count ?? 0) == 0);

    private async Task PatchAsync(ResourceRequest request)
    {
        var (type, patch) = await RequestBody.ReadPatchAsync(request.Context.Request, request.Token);
        var dryRun = IsDryRun(request.Context);
        var token = request.Token;
        for (var attempt = 1; ; attempt++)
        {
            var current = await objects.GetAsync(request.Key, local: attempt == 1 ? false : true, token);
            if (current is null && type == RequestBody.ApplyPatch)
            {
                var applied = ServerSideApply.Apply(request, null, patch, Now);
                await ApiResponses.WriteJsonAsync(request.Context, 201, await CreateObjectAsync(request, applied, dryRun, token));
                return;
            }
            if (current is null)
                throw ApiException.NotFound(request.Resource.GroupResource, request.Info.Name!);

            var patched = type == RequestBody.ApplyPatch
                ? ServerSideApply.Apply(request, current, patch, Now)
                : ApplyPatch(request, type, current, patch);
            FieldValidation.Check(request.Context, request.Resource.GroupVersionKind, patched);
            // A resourceVersion in the patch is a precondition; otherwise the patch applies to whatever is current.
            var precondition = patched.Str("metadata", "resourceVersion");
            var explicitPrecondition = precondition is not null && precondition != current.Str("metadata", "resourceVersion");
            if (!explicitPrecondition)
                patched.Metadata().Remove("resourceVersion");
            try
            {
                var (status, result) = await UpdateObjectAsync(request, current, patched, preconditionFromBody: explicitPrecondition, dryRun, token);
                await ApiResponses.WriteJsonAsync(request.Context, status, result);
                return;
            }
            catch (ApiException e) when (e.Reason == StatusReasons.Conflict && !explicitPrecondition && attempt < PatchAttempts)
            {
                // Someone wrote in between: re-read and apply the patch again.
            }
        }
    }

    private static JsonObject ApplyPatch(ResourceRequest request, string type, JsonObject current, JsonNode? patch)
    {
        try
        {
            var result = type switch
            {
                RequestBody.JsonPatch => JsonPatch.Parse(patch).Apply(current),
                RequestBody.MergePatch => JsonMergePatch.Apply(current.DeepClone(), patch),
                RequestBody.StrategicMergePatch when !IsBuiltIn(request) =>
                    throw ApiException.UnsupportedMediaType([RequestBody.JsonPatch, RequestBody.MergePatch, RequestBody.ApplyPatch]),
                RequestBody.StrategicMergePatch => StrategicMergePatch.Apply(current, patch, PatchSchema.Kubernetes),
                _ => throw ApiException.UnsupportedMediaType(RequestBody.PatchTypes),
            };
            return result as JsonObject ?? throw ApiException.BadRequest("the patch must leave an object");
        }
        catch (PatchException e)
        {
            throw e.ToApiException();
        }
    }

    private static void CheckTypeMeta(ResourceRequest request, JsonObject obj)
    {
        var resource = request.Resource;
        var apiVersion = obj.Str("apiVersion");
        var kind = obj.Str("kind");
        var expectedKind = request.Info.Subresource is null ? resource.Kind : kind;
        if (!string.IsNullOrEmpty(apiVersion) && apiVersion != resource.GroupVersion.ToString() && request.Info.Subresource is null)
            throw ApiException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({resource.GroupVersion})");
        if (!string.IsNullOrEmpty(kind) && kind != expectedKind)
            throw ApiException.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({expectedKind})");
        if (request.Info.Subresource is null)
        {
            // Keep apiVersion and kind first, as Kubernetes prints them.
            var rest = obj.Where(p => p.Key is not "apiVersion" and not "kind").Select(p => (p.Key, p.Value)).ToList();
            obj.Clear();
            obj["apiVersion"] = resource.GroupVersion.ToString();
            obj["kind"] = resource.Kind;
            foreach (var (name, value) in rest)
                obj[name] = value;
        }
    }

    private static void SetNamespace(ResourceRequest request, JsonObject obj)
    {
        var metadata = obj.Metadata();
        if (!request.Resource.Namespaced)
        {
            metadata.Remove("namespace");
            return;
        }
        var urlNamespace = request.Info.Namespace ?? throw ApiException.BadRequest("a namespace must be given in the URL for a namespaced resource");
        var bodyNamespace = metadata.Str("namespace");
        if (!string.IsNullOrEmpty(bodyNamespace) && bodyNamespace != urlNamespace)
            throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        metadata["namespace"] = urlNamespace;
    }

    private static void Validate(ResourceRequest request, JsonObject obj, JsonObject? old)
    {
        var errors = new FieldErrorList();
        var metadata = FieldPath.Root("metadata");
        ObjectMetaValidation.ValidateName(obj.Name(), obj.Str("metadata", "generateName"), request.Strategy.CheckName, metadata, errors);
        ObjectMetaValidation.ValidateLabels(obj.Obj("metadata", "labels"), metadata.Child("labels"), errors);
        ObjectMetaValidation.ValidateAnnotations(obj.Obj("metadata", "annotations"), metadata.Child("annotations"), errors);
        if (old is null)
            request.Strategy.Validate(obj, errors);
        else
            request.Strategy.ValidateUpdate(obj, old, errors);
        errors.ThrowIfAny(request.Resource.GroupKind, obj.Name());
    }

    /// <summary>Objects go only into namespaces that exist and are not being deleted.</summary>
    private async Task RequireNamespaceAsync(ResourceRequest request, string? ns, CancellationToken token)
    {
        if (!request.Resource.Namespaced || ns is null)
            return;
        var key = ObjectStore.Key(NamespaceResource, null, ns);
        // This replica's copy first; a namespace made a moment ago through another replica needs the barrier.
        var namespaceObject = await objects.GetAsync(key, local: true, token) ?? await objects.GetAsync(key, local: false, token)
            ?? throw ApiException.NotFound(new("", "namespaces"), ns);
        if (namespaceObject.Obj("metadata")?["deletionTimestamp"] is not null)
            throw ApiException.Forbidden(request.Resource.GroupResource, request.Info.Name ?? "",
                $"unable to create new content in namespace {ns} because it is being terminated");
    }

    private static readonly Api.Registry.ResourceDefinition NamespaceResource =
        Api.Registry.BuiltInResources.All.First(r => r.Kind == "Namespace");

    private static bool IsBuiltIn(ResourceRequest request) =>
        Api.Registry.BuiltInResources.All.Any(r => r.GroupVersionResource == request.Resource.GroupVersionResource);

    /// <summary>Controller kinds and custom resources count spec changes in metadata.generation.</summary>
    private static bool TracksGeneration(ResourceRequest request) =>
        request.Resource.Group is "apps" or "batch" or "policy" or "networking.k8s.io" || !IsBuiltIn(request);

    private static bool AllowsCreateOnUpdate(ResourceRequest request) => request.Resource.Kind is "Endpoints" or "Lease" or "Event";

    private static bool SpecChanged(JsonObject current, JsonObject updated)
    {
        static JsonObject WithoutMetaAndStatus(JsonObject obj) =>
            new(obj.Where(p => p.Key is not "metadata" and not "status").Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
        return !JsonNode.DeepEquals(WithoutMetaAndStatus(current), WithoutMetaAndStatus(updated));
    }

    /// <summary>Equal but for resourceVersion and managedFields timestamps: the write would change nothing.</summary>
    private static bool SameContent(JsonObject current, JsonObject updated)
    {
        static JsonNode Normalized(JsonObject obj)
        {
            var copy = (JsonObject)obj.DeepClone();
            if (copy["metadata"] is JsonObject metadata)
            {
                metadata.Remove("resourceVersion");
                foreach (var entry in metadata.Arr("managedFields")?.OfType<JsonObject>() ?? [])
                    entry.Remove("time");
            }
            return copy;
        }
        return JsonNode.DeepEquals(Normalized(current), Normalized(updated));
    }
}
