using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;

namespace Orchestrator.Server.Resources;

partial class ResourceStore
{
    /// <summary>
    /// Deletes one object: at once when nothing holds it; otherwise marks it (deletionTimestamp) and leaves the rest
    /// to finalizers, the node agent (graceful pod deletion) or the namespace controller. Returns what was deleted,
    /// or the object as marked.
    /// </summary>
    public Task<JsonObject> DeleteAsync(string? ns, string name, DeleteOptions options, WriteContext context, CancellationToken token)
    {
        var key = Key(ns, name);
        var dryRun = context.DryRun || options.DryRun;
        var preconditionFailed = false;
        return ConflictRetry.RunAsync(async _ =>
        {
            var current = AsServed(await objects.GetAsync(key, local: false, token) ?? throw ApiException.NotFound(Resource.GroupResource, name));
            preconditionFailed = true;
            options.Preconditions?.Check(Resource.GroupResource, current);
            preconditionFailed = false;
            var revision = Revision(current);
            if (MarkForDeletion(current, options) is { } marked)
                return await WriteAsync(key, current, marked, revision, dryRun, token);
            if (dryRun)
                return current;
            var deleted = await objects.DeleteAsync(Resource.GroupResource, key, current, revision, token);
            await Strategy.ReleaseAsync(deleted, objects, CancellationToken.None);
            return deleted;
        }, e => ConflictRetry.IsConflict(e) && !preconditionFailed);
    }

    /// <summary>Deletes every object the selectors match; ones gone meanwhile are skipped. Returns them and the list's revision.</summary>
    public async Task<(List<JsonObject> Deleted, long Revision)> DeleteCollectionAsync(
        string? ns, ListOptions list, DeleteOptions options, WriteContext context, CancellationToken token)
    {
        var (items, revision, _) = await ListAsync(ns, list with { Limit = 0, ContinueAfterKey = null }, token);
        var deleted = new List<JsonObject>();
        foreach (var item in items)
        {
            try
            {
                deleted.Add(await DeleteAsync(item.Namespace(), item.Name(), options with { Preconditions = null }, context, token));
            }
            catch (ApiException e) when (e.Code == 404)
            {
                // Gone meanwhile: that is what was asked.
            }
        }
        return (deleted, revision);
    }

    /// <summary>The object with its deletion recorded, or null when it can go at once.</summary>
    private JsonObject? MarkForDeletion(JsonObject current, DeleteOptions options)
    {
        var marked = (JsonObject)current.DeepClone();
        var metadata = marked.Metadata();
        if (options.PropagationFinalizer() is { } extra && !current.Finalizers().Contains(extra))
        {
            var finalizers = metadata.Arr("finalizers")?.DeepClone() as JsonArray ?? [];
            finalizers.Add(extra);
            metadata["finalizers"] = finalizers;
        }
        if (Strategy.MarkForDeletion(marked, current, options, Now) is { } byKind)
            return byKind;
        if (metadata.Arr("finalizers") is { Count: > 0 })
        {
            if (!current.IsDeleting())
            {
                metadata["deletionTimestamp"] = Json.Timestamp(Now);
                metadata["deletionGracePeriodSeconds"] = 0;
            }
            return marked;
        }
        return null;
    }
}
