using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;
using Orchestrator.Api.Patching;

namespace Orchestrator.Api.Apply;

// Server-side apply (PATCH application/apply-patch+yaml), after structured-merge-diff's Updater.Apply.
public static partial class ManagedFields
{
    /// <summary>
    /// Applies <paramref name="applied"/> (a full intent: apiVersion, kind, metadata.name and the
    /// fields <paramref name="manager"/> wants to own) to <paramref name="live"/> (null: the object
    /// does not exist yet, the caller creates the result). Fields this manager applied last time and
    /// left out now are removed unless someone else owns them. Setting a field another manager owns
    /// to a different value is a 409 conflict unless <paramref name="force"/>, which takes it over.
    /// Returns the new object with metadata.managedFields; when nothing changed it equals
    /// <paramref name="live"/>, so the caller can skip the write.
    /// </summary>
    public static JsonObject Apply(
        JsonObject? live,
        JsonObject applied,
        string manager,
        bool force,
        PatchSchema schema,
        string apiVersion,
        DateTimeOffset now,
        string? subresource = null)
    {
        ArgumentNullException.ThrowIfNull(applied);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentException.ThrowIfNullOrEmpty(manager);
        ValidateApplied(applied);

        JsonObject config = ApplyMerge.WithoutNulls(applied);
        JsonObject before = live is null ? new JsonObject() : WithoutManagedFields(live);
        List<ManagedFieldsEntry> entries = ReadOrEmpty(live);

        var me = new ManagedFieldsEntry(manager, ManagedFieldsEntry.Apply, apiVersion, null, FieldSet.Empty, subresource);
        ManagedFieldsEntry? previous = entries.FirstOrDefault(e => e.Identity == me.Identity);
        List<ManagedFieldsEntry> others = [.. entries.Where(e => e.Identity != me.Identity)];
        FieldSet mine = new(ObjectFields.Leaves(config, schema, subresource, rejectDuplicates: true).Keys);

        JsonObject merged = ApplyMerge.Merge(before, config, schema);

        // Prune what this manager dropped from its configuration, unless anyone (it included) still owns it.
        FieldSet stillOwned = others.Aggregate(mine, (owned, e) => owned.Union(e.Fields));
        FieldSet dropped = (previous?.Fields ?? FieldSet.Empty).Difference(stillOwned);
        ApplyPrune.Remove(merged, dropped, stillOwned);

        FieldComparison change = FieldComparison.Between(
            ObjectFields.Leaves(before, schema, subresource),
            ObjectFields.Leaves(merged, schema, subresource));
        var conflicts = new List<(ManagedFieldsEntry Owner, FieldSetPath Path)>();
        foreach (ManagedFieldsEntry other in others)
        {
            conflicts.AddRange(other.Fields.Intersection(change.Changed).Paths.Select(p => (other, p)));
        }

        if (conflicts.Count > 0 && !force)
        {
            throw ApplyConflicts.ToException(conflicts);
        }

        FieldSet lost = change.Changed.Union(change.Removed);
        var result = others.Select(e => e with { Fields = e.Fields.Difference(lost) }).ToList();
        bool unchanged = previous is not null && previous.Fields.Equals(mine) && JsonNode.DeepEquals(before, merged);
        string time = unchanged && previous!.Time is { } kept ? kept : ManagedFieldsEntry.FormatTime(now);
        result.Add(me with { Fields = mine, Time = time });

        Write(merged, result);
        return merged;
    }

    private static void ValidateApplied(JsonObject applied)
    {
        if (applied["apiVersion"] is not JsonValue version || !version.TryGetValue(out string? v) || v.Length == 0)
        {
            throw ApiException.BadRequest("error decoding patch: Object 'apiVersion' is missing in apply configuration");
        }

        if (applied["kind"] is not JsonValue kind || !kind.TryGetValue(out string? k) || k.Length == 0)
        {
            throw ApiException.BadRequest("error decoding patch: Object 'Kind' is missing in apply configuration");
        }

        if (applied["metadata"] is not JsonObject metadata
            || metadata["name"] is not JsonValue name
            || !name.TryGetValue(out string? n)
            || n.Length == 0)
        {
            throw ApiException.BadRequest("metadata.name is required in an apply configuration");
        }

        // kube refuses these: ownership is the server's bookkeeping, not part of an intent.
        if (metadata["managedFields"] is JsonArray { Count: > 0 })
        {
            throw ApiException.BadRequest("metadata.managedFields must be nil");
        }
    }

    private static JsonObject WithoutManagedFields(JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        (copy["metadata"] as JsonObject)?.Remove("managedFields");
        return copy;
    }
}
