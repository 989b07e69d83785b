using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Client.Watching;

namespace Orchestrator.Client.Informers;

/// <summary>
/// Keeps an in-memory copy of one collection: LIST, then WATCH from the list's resourceVersion;
/// re-watch from the last seen resourceVersion when a stream ends or fails (with backoff), relist when
/// the server says that resourceVersion expired (410). Changes go to the handler one at a time, in
/// order, after the cache was updated. Cached objects are shared: treat them as read-only.
/// </summary>
public sealed partial class Informer : IAsyncDisposable
{
    private readonly KubeClient client;
    private readonly ApiResource resource;
    private readonly string? ns;
    private readonly Func<InformerEvent, CancellationToken, ValueTask>? handler;
    private readonly InformerOptions options;
    private readonly ConcurrentDictionary<string, JsonObject> cache = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource stop = new();
    private Task? loop;
    private string resourceVersion = "";
    private int lists;

    /// <param name="ns">The namespace to mirror; null for all namespaces (or a cluster-scoped resource).</param>
    /// <param name="handler">Called for every cache change; an exception stops the informer (see <see cref="Completion"/>).</param>
    public Informer(KubeClient client, ApiResource resource, string? ns,
        Func<InformerEvent, CancellationToken, ValueTask>? handler = null, InformerOptions? options = null)
    {
        this.client = client;
        this.resource = resource;
        this.ns = ns;
        this.handler = handler;
        this.options = options ?? new InformerOptions();
    }

    /// <summary>True once the first LIST is in the cache and its events were handled.</summary>
    public bool HasSynced => synced.Task.IsCompletedSuccessfully;

    /// <summary>The resourceVersion the next watch resumes from.</summary>
    public string ResourceVersion => Volatile.Read(ref resourceVersion);

    /// <summary>How many LISTs were made: 1 after the initial sync, one more per relist after 410.</summary>
    public int ListCount => Volatile.Read(ref lists);

    /// <summary>The last failure of a list or watch, retried with backoff; null after a success.</summary>
    public Exception? LastError { get; private set; }

    /// <summary>Completes when the informer stops: on dispose, or faulted by a handler exception.</summary>
    public Task Completion => loop ?? Task.CompletedTask;

    public int Count => cache.Count;

    public void Start()
    {
        if (loop is not null)
            throw new InvalidOperationException("the informer is already started");
        loop = Task.Run(async () =>
        {
            try
            {
                await RunAsync(stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A failing handler stops the informer; whoever waits for the sync must hear about it.
                synced.TrySetException(e);
                throw;
            }
        });
    }

    public Task WaitForSyncAsync(CancellationToken token) => synced.Task.WaitAsync(token);

    public JsonObject? Get(string? ns, string name) => cache.GetValueOrDefault(Key(ns, name));

    public IReadOnlyList<JsonObject> List() => [.. cache.Values];

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        if (loop is not null)
        {
            try
            {
                await loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
        stop.Dispose();
    }

    private async Task RunAsync(CancellationToken token)
    {
        var backoff = new Backoff(options.InitialBackoff, options.MaxBackoff);
        var mustList = true;
        while (!token.IsCancellationRequested)
        {
            try
            {
                if (mustList)
                {
                    await RelistAsync(token).ConfigureAwait(false);
                    mustList = false;
                    synced.TrySetResult();
                }
                var healthy = await WatchOnceAsync(token).ConfigureAwait(false);
                LastError = null;
                if (healthy)
                {
                    backoff.Reset();
                    continue;
                }
            }
            catch (ResourceExpiredException e)
            {
                // Our resourceVersion fell out of the server's window: only a fresh LIST can catch up.
                LastError = e;
                mustList = true;
                continue;
            }
            catch (Exception e) when (IsTransient(e) && !token.IsCancellationRequested)
            {
                LastError = e;
            }
            await Task.Delay(backoff.Next(), options.TimeProvider, token).ConfigureAwait(false);
        }
        token.ThrowIfCancellationRequested();
    }

    private static bool IsTransient(Exception e) =>
        e is HttpRequestException or IOException or KubeApiException or TimeoutException or JsonException
            or OperationCanceledException; // a request deadline, not our token (checked by the caller)

    private static string Key(string? ns, string name) => string.IsNullOrEmpty(ns) ? name : ns + "/" + name;

    private static string KeyOf(JsonObject obj) => Key(KubeClient.Namespace(obj), KubeClient.Name(obj));

    private static string? ResourceVersionOf(JsonObject obj) => obj["metadata"]?["resourceVersion"]?.GetValue<string>();
}
