using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;
using Orchestrator.Server.Http;

namespace Orchestrator.Server.Resources;

partial class ResourceHandler
{
    private const string OrphanFinalizer = "orphan";
    private const string ForegroundFinalizer = "foregroundDeletion";

    private async Task DeleteAsync(ResourceRequest request)
    {
        var options = await DeleteOptions.ReadAsync(request.Context, request.Token);
        var dryRun = IsDryRun(request.Context) || options.DryRun;
        var result = await DeleteObjectAsync(request, request.Key, request.Info.Name!, options, dryRun, request.Token);
        await ApiResponses.WriteJsonAsync(request.Context, 200, result);
    }

    private async Task DeleteCollectionAsync(ResourceRequest request)
    {
        var options = await DeleteOptions.ReadAsync(request.Context, request.Token);
        var dryRun = IsDryRun(request.Context) || options.DryRun;
        var list = ListOptions.Parse(request.Context.Request.Query, request.Resource);
        var (items, revision, _) = await ReadMatchingAsync(request, list with { Limit = 0, ContinueAfterKey = null }, request.Token);
        var deleted = new List<JsonObject>();
        foreach (var item in items)
        {
            var key = ObjectStore.Key(request.Resource, item.Namespace(), item.Name());
            try
            {
                deleted.Add(await DeleteObjectAsync(request, key, item.Name(), options with { Preconditions = null }, dryRun, request.Token));
            }
            catch (ApiException e) when (e.Code == 404)
            {
                // Gone meanwhile: that is what was asked.
            }
        }
        var body = Http.Rendering.For(request.Context.Request).List(request.Resource, deleted, revision.ToString(System.Globalization.CultureInfo.InvariantCulture), null, Now);
        await ApiResponses.WriteJsonAsync(request.Context, 200, body);
    }

    /// <summary>
    /// Deletes one object: at once when nothing holds it; otherwise marks it (deletionTimestamp) and
    /// leaves the rest to finalizers, the node agent (graceful pod deletion) or the namespace controller.
    /// </summary>
    private async Task<JsonObject> DeleteObjectAsync(ResourceRequest request, string key, string name, DeleteOptions options, bool dryRun, CancellationToken token)
    {
        var resource = request.Resource;
        for (var attempt = 1; ; attempt++)
        {
            var current = await objects.GetAsync(key, local: false, token) ?? throw ApiException.NotFound(resource.GroupResource, name);
            options.CheckPreconditions(resource.GroupResource, current);
            var revision = ParseRevision(current.Str("metadata", "resourceVersion"), "resourceVersion");
            try
            {
                var marked = MarkForDeletion(request, current, options);
                if (marked is not null)
                {
                    var (_, result) = await WriteUpdateAsync(request, current, marked, revision, dryRun, token);
                    return result;
                }
                if (dryRun)
                    return current;
                var deleted = await objects.DeleteAsync(resource.GroupResource, key, current, revision, token);
                await request.Strategy.ReleaseAsync(deleted, objects, CancellationToken.None);
                return deleted;
            }
            catch (ApiException e) when (e.Reason == StatusReasons.Conflict && attempt < PatchAttempts)
            {
                // Changed between read and delete: look again.
            }
        }
    }

    /// <summary>The object with its deletion recorded, or null when it can go at once.</summary>
    private JsonObject? MarkForDeletion(ResourceRequest request, JsonObject current, DeleteOptions options)
    {
        var marked = (JsonObject)current.DeepClone();
        var metadata = marked.Metadata();
        var finalizers = metadata.Arr("finalizers") ?? [];
        var policy = options.PropagationPolicy ?? (options.OrphanDependents == true ? "Orphan" : null);
        var extra = policy switch
        {
            "Orphan" => OrphanFinalizer,
            "Foreground" => ForegroundFinalizer,
            null or "Background" => null,
            _ => throw ApiException.BadRequest($"propagationPolicy {policy} is not one of Orphan, Foreground, Background"),
        };
        if (extra is not null && !finalizers.Any(f => f?.GetValue<string>() == extra))
        {
            finalizers.Add(extra);
            metadata["finalizers"] = finalizers.DeepClone();
        }

        var alreadyDeleting = metadata["deletionTimestamp"] is not null;
        if (request.Resource.Kind == "Namespace")
        {
            if (alreadyDeleting)
                return marked;
            metadata["deletionTimestamp"] = Timestamp();
            metadata["deletionGracePeriodSeconds"] = 0;
            marked.Child("status")["phase"] = "Terminating";
            return marked;
        }
        if (request.Resource.Kind == "Pod" && !string.IsNullOrEmpty(marked.Str("spec", "nodeName")))
        {
            // A bound pod gets its grace period: its node stops the containers, then deletes it with grace 0.
            var grace = options.GracePeriodSeconds ?? current.Long("spec", "terminationGracePeriodSeconds") ?? 30;
            if (grace > 0 && !(alreadyDeleting && (current.Long("metadata", "deletionGracePeriodSeconds") ?? 0) <= grace))
            {
                metadata["deletionTimestamp"] = Now.AddSeconds(grace).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
                metadata["deletionGracePeriodSeconds"] = grace;
                return marked;
            }
            if (grace > 0)
                return marked;
        }
        if (metadata.Arr("finalizers") is { Count: > 0 })
        {
            if (!alreadyDeleting)
            {
                metadata["deletionTimestamp"] = Timestamp();
                metadata["deletionGracePeriodSeconds"] = 0;
            }
            return marked;
        }
        return null;
    }
}

/// <summary>DeleteOptions from the body (kubectl sends one) or the query string.</summary>
public sealed record DeleteOptions(string? PropagationPolicy, long? GracePeriodSeconds, bool? OrphanDependents, JsonObject? Preconditions, bool DryRun)
{
    public static async Task<DeleteOptions> ReadAsync(HttpContext context, CancellationToken token)
    {
        var query = context.Request.Query;
        JsonObject? body = null;
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            using var reader = new StreamReader(context.Request.Body);
            var text = await reader.ReadToEndAsync(token);
            if (text.Trim().Length > 0)
                body = RequestBody.ParseJson(System.Text.Encoding.UTF8.GetBytes(text)) as JsonObject
                    ?? throw ApiException.BadRequest("DeleteOptions must be a JSON object");
        }
        long? grace = body.Long("gracePeriodSeconds");
        if (grace is null && long.TryParse(query["gracePeriodSeconds"], out var g))
            grace = g;
        if (grace is < 0)
            grace = 0;
        var policy = body.Str("propagationPolicy") ?? (query["propagationPolicy"].ToString() is { Length: > 0 } p ? p : null);
        var orphan = body?["orphanDependents"] is JsonValue o && o.TryGetValue(out bool b) ? b : (bool?)null;
        var dryRun = body.Arr("dryRun")?.Any(d => d?.GetValue<string>() == "All") == true;
        return new DeleteOptions(policy, grace, orphan, body.Obj("preconditions"), dryRun);
    }

    public void CheckPreconditions(Api.Schema.GroupResource resource, JsonObject current)
    {
        var uid = Preconditions.Str("uid");
        var currentUid = current.Str("metadata", "uid");
        if (!string.IsNullOrEmpty(uid) && uid != currentUid)
            throw ApiException.Conflict(resource, current.Name(), $"Precondition failed: UID in precondition: {uid}, UID in object meta: {currentUid}");
        var rv = Preconditions.Str("resourceVersion");
        var currentRv = current.Str("metadata", "resourceVersion");
        if (!string.IsNullOrEmpty(rv) && rv != currentRv)
            throw ApiException.Conflict(resource, current.Name(), $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {currentRv}");
    }
}
