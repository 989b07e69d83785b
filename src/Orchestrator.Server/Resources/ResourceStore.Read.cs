using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;
using Orchestrator.Storage.State;
using Orchestrator.Storage.Watch;

namespace Orchestrator.Server.Resources;

partial class ResourceStore
{
    /// <summary>The object, or 404. <paramref name="local"/>: this replica's copy will do (resourceVersion=0).</summary>
    public async Task<JsonObject> GetAsync(string? ns, string name, bool local, CancellationToken token) =>
        await FindAsync(ns, name, local, token) ?? throw ApiException.NotFound(Resource.GroupResource, name);

    public async Task<JsonObject?> FindAsync(string? ns, string name, bool local, CancellationToken token) =>
        await objects.GetAsync(Key(ns, name), local, token) is { } found ? AsServed(found) : null;

    /// <summary>One page of objects as stored, for lists without selectors (no decode; see <see cref="StoredJson"/>).</summary>
    public Task<ListPage> ListStoredAsync(string? ns, ListOptions options, CancellationToken token) =>
        objects.ListStoredAsync(Prefix(ns), options.ContinueAfterKey, options.Limit, options.LocalRead, token);

    /// <summary>
    /// Objects matching the selectors, at most options.Limit (0 = all). Filtering happens after reading, so a
    /// filtered page may take several store pages; LastKey is set when more may follow.
    /// </summary>
    public async Task<(List<JsonObject> Items, long Revision, string? LastKey)> ListAsync(string? ns, ListOptions options, CancellationToken token)
    {
        var items = new List<JsonObject>();
        var startAfter = options.ContinueAfterKey;
        long revision = 0;
        var pageSize = options.Limit > 0 ? Math.Max(options.Limit, options.IsFiltered ? 500 : options.Limit) : 0;
        var local = options.LocalRead;
        var prefix = Prefix(ns);
        while (true)
        {
            var (page, pageRevision, more) = await objects.ListAsync(prefix, startAfter, pageSize, local, token);
            if (revision == 0)
                revision = pageRevision;
            local = true; // later pages continue from the state the first one saw at least
            foreach (var (key, obj) in page)
            {
                startAfter = key;
                if (!Matches(options, obj))
                    continue;
                items.Add(AsServed(obj));
                if (options.Limit > 0 && items.Count == options.Limit)
                    return (items, revision, more || key != page[^1].Key ? key : null);
            }
            if (!more)
                return (items, revision, null);
        }
    }

    public bool Matches(ListOptions options, JsonObject obj) =>
        options.Labels.Matches(obj.Obj("metadata", "labels"))
        && (options.Fields.IsEverything || options.Fields.Matches(obj, Resource.FieldSelectors));

    /// <summary>Committed changes of this resource (in one namespace or all) strictly after a revision.</summary>
    public IAsyncEnumerable<WatchBatch> WatchAsync(string? ns, long afterRevision, TimeSpan progressInterval, CancellationToken token) =>
        objects.WatchAsync(Prefix(ns), afterRevision, progressInterval, token);

    /// <summary>
    /// A stored change as a watcher with these selectors sees it: an object that starts matching is ADDED, one that
    /// stops matching is DELETED, as in kube-apiserver's watch cache. Null when the watcher does not see it.
    /// </summary>
    public (string Type, JsonObject Object)? Translate(ListOptions options, WatchEvent change)
    {
        var revision = change.Revision;
        var current = AsServed(ObjectStore.Decode(change.Value, revision));
        if (change.Type == WatchEventType.Delete)
            return Matches(options, current) ? ("DELETED", current) : null;
        var matchesNow = Matches(options, current);
        if (change.PrevValue is null)
            return matchesNow ? ("ADDED", current) : null;
        if (!options.IsFiltered)
            return ("MODIFIED", current);
        var matchedBefore = Matches(options, ObjectStore.Decode(change.PrevValue, revision));
        return (matchedBefore, matchesNow) switch
        {
            (true, true) => ("MODIFIED", current),
            (false, true) => ("ADDED", current),
            (true, false) => ("DELETED", current),
            _ => null,
        };
    }
}
