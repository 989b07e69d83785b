using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;

namespace Orchestrator.Server.Resources;

partial class ResourceStore
{
    /// <summary>
    /// Creates <paramref name="obj"/> in <paramref name="ns"/>. <paramref name="urlName"/> is the name a PUT or an
    /// apply named (it must match the body's). A generateName that collides is tried again with another suffix.
    /// </summary>
    public async Task<JsonObject> CreateAsync(string? ns, string? urlName, JsonObject obj, WriteContext context, CancellationToken token)
    {
        CheckTypeMeta(obj);
        CheckUnknownFields(obj, context);
        Strategy.Canonicalize(obj);
        SetNamespace(ns, obj);
        CheckName(obj, urlName);
        var metadata = obj.Metadata();
        var generated = string.IsNullOrEmpty(obj.Name()) && !string.IsNullOrEmpty(metadata.Str("generateName"));

        metadata["uid"] = Guid.NewGuid().ToString();
        metadata["creationTimestamp"] = Json.Timestamp(Now);
        foreach (var field in new[] { "resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink" })
            metadata.Remove(field);
        if (Strategy.TracksGeneration)
            metadata["generation"] = 1;
        else
            metadata.Remove("generation");
        if (!Strategy.KeepsStatusOnCreate && HasStatus)
            obj.Remove("status");
        Strategy.ApplyDefaults(obj);
        Strategy.PrepareForCreate(obj);
        if (generated)
            metadata["name"] = names.Generate(metadata.Str("generateName")!);
        Validate(obj, old: null);
        if (Resource.Namespaced)
            await namespaces.RequireActiveAsync(obj.Namespace()!, Resource.GroupResource, obj.Name(), token);
        RecordManagedFields(null, obj, context);
        if (context.DryRun)
            return obj;

        for (var attempt = 0; ; attempt++)
        {
            await Strategy.BeforeCreateAsync(obj, objects, token);
            try
            {
                return await objects.CreateAsync(Resource.GroupResource, Key(obj.Namespace(), obj.Name()), obj, token);
            }
            catch (ApiException e) when (e.Reason == StatusReasons.AlreadyExists && generated && attempt < ConflictRetry.Attempts)
            {
                // A generated name collided: release and try another suffix, as kube-apiserver does.
                await Strategy.ReleaseAsync(obj, objects, CancellationToken.None);
                metadata["name"] = names.Generate(metadata.Str("generateName")!);
            }
            catch
            {
                await Strategy.ReleaseAsync(obj, objects, CancellationToken.None);
                throw;
            }
        }
    }

    /// <summary>PUT: replaces the object (its resourceVersion, when given, must be current); creates it where the kind allows.</summary>
    public Task<(JsonObject Result, bool Created)> UpdateAsync(string? ns, string name, JsonObject obj, WriteContext context, CancellationToken token)
    {
        CheckTypeMeta(obj);
        CheckUnknownFields(obj, context);
        Strategy.Canonicalize(obj);
        SetNamespace(ns, obj);
        CheckName(obj, name);
        var createIfMissing = Strategy.AllowsCreateOnUpdate
            ? () => CreateAsync(ns, name, (JsonObject)obj.DeepClone(), context, token)
            : (Func<Task<JsonObject>>?)null;
        // Each try starts from the body as sent: preparing it changes it.
        return GuaranteedUpdateAsync(ns, name, null, current => PrepareUpdate(current, (JsonObject)obj.DeepClone(), context), context, token, createIfMissing);
    }

    /// <summary>
    /// PATCH: <paramref name="patch"/> turns the current object into the wanted one (and, for apply, null into a new
    /// one). A resourceVersion the patch sets is a precondition; otherwise a concurrent write makes it apply again.
    /// </summary>
    public Task<(JsonObject Result, bool Created)> PatchAsync(string? ns, string name, Func<JsonObject?, JsonObject> patch, WriteContext context, CancellationToken token)
    {
        var createIfMissing = context.IsApply
            ? () => CreateAsync(ns, name, patch(null), context, token)
            : (Func<Task<JsonObject>>?)null;
        return GuaranteedUpdateAsync(ns, name, null, current =>
        {
            var patched = patch(current);
            CheckUnknownFields(patched, context);
            Strategy.Canonicalize(patched);
            if (patched.Str("metadata", "resourceVersion") == current.Str("metadata", "resourceVersion"))
                patched.Metadata().Remove("resourceVersion");
            return PrepareUpdate(current, patched, context);
        }, context, token, createIfMissing);
    }

    /// <summary>
    /// A change made on a client's behalf (scale): <paramref name="change"/> makes a new object from the stored one, kept
    /// under PUT's update rules. A resourceVersion it leaves in the new object is the client's precondition.
    /// </summary>
    public async Task<JsonObject> ChangeAsync(string? ns, string name, Func<JsonObject, JsonObject> change, WriteContext context, CancellationToken token)
    {
        var (result, _) = await GuaranteedUpdateAsync(ns, name, null, current => PrepareUpdate(current, change(current), context), context, token);
        return result;
    }

    /// <summary>
    /// A write through .../status: only status changes, taken from what <paramref name="source"/> makes of the
    /// current object; everything else stays as stored.
    /// </summary>
    public async Task<JsonObject> UpdateStatusAsync(string? ns, string name, Func<JsonObject, JsonObject> source, WriteContext context, CancellationToken token)
    {
        var (result, _) = await GuaranteedUpdateAsync(ns, name, null, current =>
        {
            var sent = source(current);
            var updated = (JsonObject)current.DeepClone();
            // Only a revision the client sent pins the write; the copy's own would make every race a final 409.
            updated.Metadata().Remove("resourceVersion");
            if (sent["status"] is { } status)
                updated["status"] = status.DeepClone();
            else
                updated.Remove("status");
            // The sent resourceVersion, if any, is the precondition.
            if (sent.Str("metadata", "resourceVersion") is { Length: > 0 } given)
                updated.Metadata()["resourceVersion"] = given;
            var errors = new FieldErrorList();
            Strategy.ValidateStatusUpdate(updated, current, errors);
            errors.ThrowIfAny(Resource.GroupKind, name);
            RecordManagedFields(current, updated, context);
            return updated;
        }, context, token);
        return result;
    }

    /// <summary>
    /// The main resource's update rules: system fields carried over from the stored object, status kept (it has its own
    /// subresource), defaults, generation bumped when the spec changed, validation, managedFields.
    /// </summary>
    private JsonObject PrepareUpdate(JsonObject current, JsonObject updated, WriteContext context)
    {
        var metadata = updated.Metadata();
        var old = current.Obj("metadata")!;
        foreach (var field in new[] { "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "namespace", "name" })
        {
            if (old[field] is { } value)
                metadata[field] = value.DeepClone();
            else
                metadata.Remove(field);
        }
        if (metadata["managedFields"] is null && old["managedFields"] is { } managed)
            metadata["managedFields"] = managed.DeepClone();
        if (HasStatus)
        {
            if (current["status"] is { } status)
                updated["status"] = status.DeepClone();
            else
                updated.Remove("status");
        }
        Strategy.ApplyDefaults(updated);
        Strategy.PrepareForUpdate(updated, current);
        if (Strategy.TracksGeneration)
        {
            var generation = current.Long("metadata", "generation") ?? 1;
            metadata["generation"] = SpecChanged(current, updated) ? generation + 1 : generation;
        }
        Validate(updated, current);
        RecordManagedFields(current, updated, context);
        return updated;
    }

    /// <summary>
    /// The one read-modify-write loop of every update: reads the object, lets <paramref name="tryUpdate"/> build the
    /// new one, and writes it with a compare-and-swap on the revision read. A resourceVersion left in the new object is
    /// the caller's precondition: when it is not the current one that is a 409, never retried; otherwise a concurrent
    /// write just makes it read and try again. A no-op is not written; an object whose last finalizer went is deleted.
    /// </summary>
    public Task<(JsonObject Result, bool Created)> GuaranteedUpdateAsync(
        string? ns,
        string name,
        Preconditions? preconditions,
        Func<JsonObject, JsonObject> tryUpdate,
        WriteContext context,
        CancellationToken token,
        Func<Task<JsonObject>>? createIfMissing = null)
    {
        var key = Key(ns, name);
        var final = false;
        return ConflictRetry.RunAsync(async attempt =>
        {
            // The first read is linearizable; after a conflict this replica has at least what the leader refused on.
            var current = await objects.GetAsync(key, local: attempt > 1, token) is { } found ? AsServed(found) : null;
            if (current is null)
            {
                // Made meanwhile (AlreadyExists) means: read again and update it instead.
                return createIfMissing is null ? throw ApiException.NotFound(Resource.GroupResource, name) : (await createIfMissing(), true);
            }
            final = true; // a failed precondition or a pinned revision is the client's answer
            preconditions?.Check(Resource.GroupResource, current);
            var revision = Revision(current);
            var updated = tryUpdate(current);
            var pinned = updated.Str("metadata", "resourceVersion") is { Length: > 0 } given;
            if (pinned && ParseRevision(updated.Str("metadata", "resourceVersion"), "resourceVersion") != revision)
                throw ApiException.Conflict(Resource.GroupResource, name);
            updated.Metadata().Remove("resourceVersion");
            final = pinned || preconditions?.ResourceVersion is not null;
            return (await WriteAsync(key, current, updated, revision, context.DryRun, token), false);
        }, e => e.Reason == StatusReasons.AlreadyExists && createIfMissing is not null || ConflictRetry.IsConflict(e) && !final);
    }

    /// <summary>The compare-and-swap write of an update, with the strategy's reservations taken and given back.</summary>
    private async Task<JsonObject> WriteAsync(string key, JsonObject current, JsonObject updated, long expected, bool dryRun, CancellationToken token)
    {
        if (SameContent(current, updated))
            return current;
        if (dryRun)
        {
            updated.Metadata()["resourceVersion"] = current.Str("metadata", "resourceVersion");
            return updated;
        }
        await Strategy.BeforeUpdateAsync(updated, current, objects, token);
        JsonObject stored;
        try
        {
            stored = await objects.UpdateAsync(Resource.GroupResource, key, updated, expected, token);
        }
        catch
        {
            // Give back what this update took; what the stored object holds stays.
            await Strategy.ReleaseDroppedAsync(updated, current, objects, CancellationToken.None);
            throw;
        }
        await Strategy.ReleaseDroppedAsync(current, stored, objects, CancellationToken.None);
        if (!IsDeletionFinished(stored))
            return stored;
        var deleted = await objects.DeleteAsync(Resource.GroupResource, key, stored, Revision(stored), token);
        await Strategy.ReleaseAsync(deleted, objects, CancellationToken.None);
        return deleted;
    }

    /// <summary>Marked for deletion with no grace period left and nothing holding it: the last finalizer went, so it goes.</summary>
    private bool IsDeletionFinished(JsonObject obj) =>
        obj.IsDeleting()
        && (obj.Long("metadata", "deletionGracePeriodSeconds") ?? 0) == 0
        && (obj.Arr("metadata", "finalizers")?.Count ?? 0) == 0
        && !Strategy.HoldsDeletion(obj);
}
