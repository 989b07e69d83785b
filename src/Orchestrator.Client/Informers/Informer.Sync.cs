using System.Text.Json.Nodes;
using Orchestrator.Client.Watching;

namespace Orchestrator.Client.Informers;

// Bringing the cache up to date: a full relist (diffed against the cache) and one watch stream.
public sealed partial class Informer
{
    private async Task RelistAsync(CancellationToken token)
    {
        var fresh = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        var listOptions = new ListOptions { LabelSelector = options.LabelSelector, FieldSelector = options.FieldSelector, Limit = options.PageSize };
        string? listVersion = null;
        while (true)
        {
            var page = await client.ListAsync(resource, ns, listOptions, token).ConfigureAwait(false);
            // Later pages are at least as new as the first; watching from the first page's version may
            // replay a change already seen, but never skips one.
            listVersion ??= page.ResourceVersion;
            foreach (var item in page.Items)
                fresh[KeyOf(item)] = item;
            if (page.Continue is null)
                break;
            listOptions = listOptions with { Continue = page.Continue };
        }
        Interlocked.Increment(ref lists);

        foreach (var (key, item) in fresh)
        {
            if (!cache.TryGetValue(key, out var old))
            {
                cache[key] = item;
                await NotifyAsync(new InformerEvent(InformerEventType.Added, item), token).ConfigureAwait(false);
            }
            else if (ResourceVersionOf(old) != ResourceVersionOf(item))
            {
                cache[key] = item;
                await NotifyAsync(new InformerEvent(InformerEventType.Updated, item, old), token).ConfigureAwait(false);
            }
        }
        foreach (var key in cache.Keys.Where(k => !fresh.ContainsKey(k)).ToList())
        {
            if (cache.TryRemove(key, out var gone))
                await NotifyAsync(new InformerEvent(InformerEventType.Deleted, gone), token).ConfigureAwait(false);
        }
        Volatile.Write(ref resourceVersion, listVersion);
    }

    /// <summary>One watch stream from <see cref="ResourceVersion"/>; false when it ended suspiciously fast and empty.</summary>
    private async Task<bool> WatchOnceAsync(CancellationToken token)
    {
        var started = options.TimeProvider.GetTimestamp();
        var seconds = options.WatchTimeout.TotalSeconds * (1 + Random.Shared.NextDouble());
        var watchOptions = new WatchOptions
        {
            ResourceVersion = ResourceVersion,
            LabelSelector = options.LabelSelector,
            FieldSelector = options.FieldSelector,
            AllowBookmarks = true,
            TimeoutSeconds = Math.Max(1, (int)seconds),
        };
        var events = 0;
        await foreach (var change in client.WatchAsync(resource, ns, watchOptions, token).ConfigureAwait(false))
        {
            events++;
            await ApplyAsync(change, token).ConfigureAwait(false);
            if (change.ResourceVersion is { Length: > 0 } version)
                Volatile.Write(ref resourceVersion, version);
        }
        // A stream the server closes at once without a word would otherwise make a tight reconnect loop.
        return events > 0 || options.TimeProvider.GetElapsedTime(started) > TimeSpan.FromSeconds(1);
    }

    private ValueTask ApplyAsync(WatchEvent change, CancellationToken token)
    {
        switch (change.Type)
        {
            case WatchEventTypes.Added or WatchEventTypes.Modified:
            {
                var key = KeyOf(change.Object);
                var old = cache.GetValueOrDefault(key);
                cache[key] = change.Object;
                return NotifyAsync(old is null
                    ? new InformerEvent(InformerEventType.Added, change.Object)
                    : new InformerEvent(InformerEventType.Updated, change.Object, old), token);
            }
            case WatchEventTypes.Deleted:
                return cache.TryRemove(KeyOf(change.Object), out _)
                    ? NotifyAsync(new InformerEvent(InformerEventType.Deleted, change.Object), token)
                    : ValueTask.CompletedTask;
            default:
                // BOOKMARK: only the resourceVersion moves (done by the caller).
                return ValueTask.CompletedTask;
        }
    }

    private ValueTask NotifyAsync(InformerEvent change, CancellationToken token) =>
        handler is null ? ValueTask.CompletedTask : handler(change, token);
}
