using System.Text.Json.Nodes;
using Orchestrator.Api.Patching;

namespace Orchestrator.Api.Apply;

/// <summary>
/// Maintains metadata.managedFields, after k8s.io/apiserver's fieldmanager and
/// structured-merge-diff's Updater. Pure: objects in, new objects out, time passed in.
/// </summary>
public static partial class ManagedFields
{
    /// <summary>The decoded metadata.managedFields of <paramref name="obj"/>; throws <see cref="FormatException"/> when malformed.</summary>
    public static IReadOnlyList<ManagedFieldsEntry> Read(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return obj["metadata"]?["managedFields"] switch
        {
            null => [],
            JsonArray entries => [.. entries.Select(ManagedFieldsEntry.FromJson)],
            _ => throw new FormatException("metadata.managedFields must be a list"),
        };
    }

    /// <summary>
    /// Records a create, update or non-apply patch by <paramref name="manager"/>: it takes the fields
    /// it added or changed (on create, all of them) from everyone else, removed fields leave every
    /// set, and managers left with nothing are dropped. Returns a copy of <paramref name="newObj"/>
    /// with the resulting managedFields.
    /// </summary>
    public static JsonObject RecordUpdate(
        JsonObject? oldObj,
        JsonObject newObj,
        string manager,
        string apiVersion,
        DateTimeOffset now,
        string? subresource,
        PatchSchema? schema = null,
        bool inPlace = false)
    {
        ArgumentNullException.ThrowIfNull(newObj);
        ArgumentException.ThrowIfNullOrEmpty(manager);
        schema ??= PatchSchema.Kubernetes;

        List<ManagedFieldsEntry> entries = BaseEntries(oldObj, newObj, subresource);
        FieldComparison change = FieldComparison.Between(
            oldObj is null ? [] : ObjectFields.Leaves(oldObj, schema, subresource),
            ObjectFields.Leaves(newObj, schema, subresource));

        var me = new ManagedFieldsEntry(manager, ManagedFieldsEntry.Update, apiVersion, null, FieldSet.Empty, subresource);
        ManagedFieldsEntry? previous = entries.FirstOrDefault(e => e.Identity == me.Identity);
        FieldSet taken = change.Changed;
        FieldSet lost = taken.Union(change.Removed);
        var result = new List<ManagedFieldsEntry>();
        foreach (ManagedFieldsEntry entry in entries)
        {
            if (entry.Identity != me.Identity)
            {
                result.Add(entry with { Fields = entry.Fields.Difference(lost) });
            }
        }

        FieldSet mine = (previous?.Fields ?? FieldSet.Empty).Difference(change.Removed).Union(taken);

        // kube moves the timestamp only when this write took fields, so a no-op keeps the object identical.
        string time = previous?.Time is { } kept && taken.IsEmpty ? kept : ManagedFieldsEntry.FormatTime(now);
        result.Add(me with { Fields = mine, Time = time });

        // In place for the server's write path, where the object is its own: a copy of the whole object per write showed in profiles.
        JsonObject written = inPlace ? newObj : (JsonObject)newObj.DeepClone();
        Write(written, result);
        return written;
    }

    /// <summary>
    /// Replaces metadata.managedFields with the non-empty <paramref name="entries"/>, in kube's
    /// order (Apply before Update, then oldest first, then by name), or removes it when none remain.
    /// </summary>
    public static void Write(JsonObject obj, IEnumerable<ManagedFieldsEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(entries);
        var sorted = entries
            .Where(e => !e.Fields.IsEmpty)
            .OrderBy(e => e.Operation, StringComparer.Ordinal)
            .ThenBy(e => e.UnixSeconds)
            .ThenBy(e => e.Manager, StringComparer.Ordinal)
            .ThenBy(e => e.ApiVersion, StringComparer.Ordinal)
            .ThenBy(e => e.Subresource ?? "", StringComparer.Ordinal)
            .ToList();

        if (obj["metadata"] is not JsonObject metadata)
        {
            if (sorted.Count == 0)
            {
                return;
            }

            metadata = new JsonObject();
            obj["metadata"] = metadata;
        }

        if (sorted.Count == 0)
        {
            metadata.Remove("managedFields");
        }
        else
        {
            metadata["managedFields"] = new JsonArray([.. sorted.Select(e => (JsonNode)e.ToJson())]);
        }
    }

    // kube's decodeLiveOrNew: a client may replace managedFields by sending them (and clear them with
    // [{}]); sending none, or garbage, keeps the live ones. Subresource writes never set them.
    private static List<ManagedFieldsEntry> BaseEntries(JsonObject? oldObj, JsonObject newObj, string? subresource)
    {
        if (subresource is null && newObj["metadata"]?["managedFields"] is JsonArray sent && sent.Count > 0)
        {
            if (sent.Count == 1 && sent[0] is JsonObject { Count: 0 })
            {
                return [];
            }

            try
            {
                return [.. Read(newObj)];
            }
            catch (FormatException)
            {
                // Fall through to the live entries, as kube does.
            }
        }

        return ReadOrEmpty(oldObj);
    }

    /// <summary>Stored entries that cannot be decoded are dropped rather than failing the write, like kube.</summary>
    private static List<ManagedFieldsEntry> ReadOrEmpty(JsonObject? obj)
    {
        if (obj is null)
        {
            return [];
        }

        try
        {
            return [.. Read(obj)];
        }
        catch (FormatException)
        {
            return [];
        }
    }
}
