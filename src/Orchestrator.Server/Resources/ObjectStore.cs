using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;
using Orchestrator.Api.Registry;
using Orchestrator.Api.Schema;
using Orchestrator.Server.Security.Encryption;
using Orchestrator.Storage.Commands;
using Orchestrator.Storage.Replication;
using Orchestrator.Storage.State;
using Orchestrator.Storage.Watch;

namespace Orchestrator.Server.Resources;

/// <summary>
/// Objects over the replicated key-value store: key layout, encoding, and store outcomes turned
/// into Kubernetes errors (no leader leaves as NoLeaderException, which the API's one error boundary answers with 503). Objects are stored without metadata.resourceVersion; it is the key's
/// modification revision (the Raft index), filled in on every read, as kube-apiserver does with etcd. Values of resources
/// the encryption configuration lists are sealed here before they are proposed and opened here on every read.
/// </summary>
public sealed class ObjectStore(ReplicatedStore store, StorageEncryption encryption)
{
    /// <summary>Kubernetes does not escape '&lt;', '&gt;', '&amp;' or quotes as \u sequences; neither does the stored form.</summary>
    private static readonly JsonSerializerOptions StoredForm = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public ReplicatedStore Store => store;

    /// <summary>/registry/{group|core}/{plural}/[{namespace}/]{name}</summary>
    public static string Key(ResourceDefinition resource, string? ns, string name) =>
        resource.Namespaced ? $"{Prefix(resource, null)}{ns}/{name}" : $"{Prefix(resource, null)}{name}";

    /// <summary>The prefix of every object of a resource, or of those in one namespace.</summary>
    public static string Prefix(ResourceDefinition resource, string? ns)
    {
        var root = $"/registry/{(resource.Group.Length == 0 ? "core" : resource.Group)}/{resource.Plural}/";
        return resource.Namespaced && !string.IsNullOrEmpty(ns) ? $"{root}{ns}/" : root;
    }

    public async Task<JsonObject?> GetAsync(string key, bool local, CancellationToken token)
    {
        var (value, _) = await store.GetAsync(key, local, token);
        return value is null ? null : Decode(encryption.Open(key, value.Value), value.ModRevision);
    }

    /// <summary>One page of a prefix; Revision is the state the page was read at.</summary>
    public async Task<(List<(string Key, JsonObject Object)> Items, long Revision, bool More)> ListAsync(
        string prefix, string? startAfter, int limit, bool local, CancellationToken token)
    {
        var page = await store.ListAsync(prefix, startAfter, limit, local, token);
        var sealable = encryption.Covers(prefix);
        return ([.. page.Items.Select(kv => (kv.Key, Decode(sealable ? encryption.Open(kv.Key, kv.Value) : kv.Value, kv.ModRevision)))], page.Revision, page.More);
    }

    /// <summary>One page of a prefix as stored (objects without their resourceVersion; see <see cref="StoredJson"/>).</summary>
    public async Task<ListPage> ListStoredAsync(string prefix, string? startAfter, int limit, bool local, CancellationToken token)
    {
        var page = await store.ListAsync(prefix, startAfter, limit, local, token);
        return encryption.Covers(prefix) ? page with { Items = [.. page.Items.Select(Opened)] } : page;
    }

    public async Task<JsonObject> CreateAsync(GroupResource resource, string key, JsonObject obj, CancellationToken token)
    {
        var result = await store.ProposeAsync(StoreCommand.Create(key, encryption.Seal(key, Encode(obj))), token);
        return result.Outcome switch
        {
            CommandOutcome.Ok => WithRevision(obj, result.Revision),
            CommandOutcome.AlreadyExists => throw ApiException.AlreadyExists(resource, NameOf(obj)),
            var other => throw Unexpected(other),
        };
    }

    /// <summary>Writes <paramref name="obj"/> if the stored revision is still <paramref name="expectedRevision"/>.</summary>
    public async Task<JsonObject> UpdateAsync(GroupResource resource, string key, JsonObject obj, long expectedRevision, CancellationToken token)
    {
        var result = await store.ProposeAsync(StoreCommand.Update(key, encryption.Seal(key, Encode(obj)), expectedRevision), token);
        return result.Outcome switch
        {
            CommandOutcome.Ok => WithRevision(obj, result.Revision),
            CommandOutcome.Conflict => throw ApiException.Conflict(resource, NameOf(obj)),
            CommandOutcome.NotFound => throw ApiException.NotFound(resource, NameOf(obj)),
            var other => throw Unexpected(other),
        };
    }

    /// <summary>
    /// Deletes <paramref name="current"/> if the stored revision is still <paramref name="expectedRevision"/>;
    /// returns the deleted object.
    /// </summary>
    public async Task<JsonObject> DeleteAsync(GroupResource resource, string key, JsonObject current, long expectedRevision, CancellationToken token)
    {
        var name = NameOf(current);
        var result = await store.ProposeAsync(StoreCommand.Delete(key, expectedRevision), token);
        return result.Outcome switch
        {
            // A retried delete that had applied before comes back without the record: it was the one read at expectedRevision.
            CommandOutcome.Ok => result.Current is { } deleted ? Decode(encryption.Open(key, deleted.Value), result.Revision) : WithRevision(current, result.Revision),
            CommandOutcome.Conflict => throw ApiException.Conflict(resource, name),
            CommandOutcome.NotFound => throw ApiException.NotFound(resource, name),
            var other => throw Unexpected(other),
        };
    }

    /// <summary>Raw creates and deletes for bookkeeping keys (allocations); true when it took effect.</summary>
    public async Task<bool> TryCreateRawAsync(string key, byte[] value, CancellationToken token) =>
        (await store.ProposeAsync(StoreCommand.Create(key, value), token)).Succeeded;

    public async Task DeleteRawAsync(string key, CancellationToken token) =>
        await store.ProposeAsync(StoreCommand.Delete(key), token);

    public async Task<List<string>> ListKeysAsync(string prefix, CancellationToken token)
    {
        var page = await store.ListAsync(prefix, null, 0, local: true, token);
        return [.. page.Items.Select(i => i.Key)];
    }

    /// <summary>Committed changes under a prefix strictly after a revision, from this replica's window.</summary>
    public async IAsyncEnumerable<WatchBatch> WatchAsync(string prefix, long afterRevision, TimeSpan progressInterval,
        [EnumeratorCancellation] CancellationToken token)
    {
        var batches = store.WatchAsync(prefix, afterRevision, progressInterval, token);
        var sealable = encryption.Covers(prefix);
        await using var enumerator = batches.GetAsyncEnumerator(token);
        while (true)
        {
            bool more;
            try
            {
                more = await enumerator.MoveNextAsync();
            }
            catch (RevisionExpiredException e)
            {
                throw ApiException.TooOldResourceVersion(e.Requested, e.OldestAvailable);
            }
            if (!more)
                yield break;
            var batch = enumerator.Current;
            yield return sealable ? batch with { Events = [.. batch.Events.Select(Opened)] } : batch;
        }
    }

    /// <summary>A stored record with its value opened; the same record when nothing was sealed (so shared caches keep hitting).</summary>
    private KeyValue Opened(KeyValue kv)
    {
        var value = encryption.Open(kv.Key, kv.Value);
        return ReferenceEquals(value, kv.Value) ? kv : kv with { Value = value };
    }

    private WatchEvent Opened(WatchEvent change)
    {
        var value = encryption.Open(change.Key, change.Value);
        var previous = change.PrevValue is null ? null : encryption.Open(change.Key, change.PrevValue);
        return ReferenceEquals(value, change.Value) && ReferenceEquals(previous, change.PrevValue) ? change : change with { Value = value, PrevValue = previous };
    }

    public static JsonObject Decode(byte[] value, long revision)
    {
        var obj = JsonNode.Parse(value) as JsonObject ?? throw new InvalidDataException("stored value is not a JSON object");
        if (obj["metadata"] is JsonObject metadata)
            metadata["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture);
        return obj;
    }

    /// <summary>
    /// The stored form: the object without its resourceVersion. The property is taken out for the write and put
    /// back, rather than copying the whole object (a deep copy per write showed in profiles).
    /// </summary>
    public static byte[] Encode(JsonObject obj)
    {
        if (obj["metadata"] is not JsonObject metadata || !metadata.Remove("resourceVersion", out var version))
            return JsonSerializer.SerializeToUtf8Bytes(obj, StoredForm);
        try
        {
            return JsonSerializer.SerializeToUtf8Bytes(obj, StoredForm);
        }
        finally
        {
            metadata["resourceVersion"] = version;
        }
    }

    /// <summary>
    /// What a successful create or update stored is exactly <see cref="Encode"/> of the object sent, so the answer is
    /// that object at its new revision: no parse of the stored bytes (and a retried command that had applied
    /// before, which comes back without the record, answers the same).
    /// </summary>
    private static JsonObject WithRevision(JsonObject obj, long revision)
    {
        if (obj["metadata"] is JsonObject metadata)
            metadata["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture);
        return obj;
    }

    private static string NameOf(JsonObject obj) => obj["metadata"]?["name"]?.GetValue<string>() ?? "";

    private static InvalidOperationException Unexpected(CommandOutcome outcome) => new($"unexpected store outcome {outcome}");
}
