using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;
using Orchestrator.Server.Resources;
using Orchestrator.Storage.Watch;

namespace Orchestrator.Server.Http.Rest;

partial class ResourceHandler
{
    /// <summary>Longest a watch stays open when the client gives no timeoutSeconds (kube picks 30-60 min).</summary>
    private static readonly TimeSpan MaxWatch = TimeSpan.FromMinutes(30);

    /// <summary>
    /// A watch: resourceVersion ""/"0" first replays current state as ADDED, N starts strictly after N.
    /// One JSON event per line, flushed per event; an expired start is an ERROR event with a 410 Status.
    /// </summary>
    private async Task WatchAsync(RestRequest request)
    {
        var context = request.Context;
        var store = request.Store;
        var options = ListOptionsOf(request);
        if (request.Info.Name is { } name)
        {
            // GET .../pods/x?watch=true: a watch of one object.
            options = options with { Fields = Api.Selectors.FieldSelector.Parse($"metadata.name={name}", request.Resource.FieldSelectors.Supported) };
        }
        var rendering = Rendering.For(context.Request);
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        lifetime.CancelAfter(options.Timeout ?? MaxWatch);
        var token = lifetime.Token;

        long after;
        List<JsonObject> initial = [];
        if (options.ResourceVersion is null or "0")
        {
            var (items, revision, _) = await store.ListAsync(request.Namespace, options with { Limit = 0, ContinueAfterKey = null }, token);
            (initial, after) = (items, revision);
        }
        else
        {
            after = ResourceStore.ParseRevision(options.ResourceVersion, "resourceVersion");
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-cache, private";
        await context.Response.StartAsync(token);
        var writer = new WatchWriter(context, rendering, request.Resource, Now);
        try
        {
            foreach (var obj in initial)
                await writer.WriteAsync("ADDED", obj, token, flush: false);
            await writer.FlushAsync(token);

            var interval = options.AllowBookmarks ? BookmarkInterval : TimeSpan.Zero;
            await foreach (var batch in store.WatchAsync(request.Namespace, after, interval, token))
            {
                foreach (var change in batch.Events)
                {
                    if (rendering.AsTable || store.ServesAsRequested)
                    {
                        // Rendered per watcher: a Table, or an object given the requested version.
                        if (store.Translate(options, change) is { } watchEvent)
                            await writer.WriteAsync(watchEvent.Type, watchEvent.Object, token, flush: false);
                    }
                    else if (!options.IsFiltered)
                    {
                        await writer.WriteLineAsync(watchLines.Line(change, WatchLines.TypeOf(change)), token);
                    }
                    else if (store.Translate(options, change) is { } watchEvent)
                    {
                        // The selectors needed the object decoded; the line itself is shared with other watchers.
                        await writer.WriteLineAsync(watchLines.Line(change, watchEvent.Type), token);
                    }
                }
                if (batch.Events.Count == 0 && options.AllowBookmarks)
                    await writer.WriteBookmarkAsync(batch.ProgressRevision, token);
                else
                    await writer.FlushAsync(token);
            }
        }
        catch (ApiException e) when (!token.IsCancellationRequested)
        {
            await writer.WriteErrorAsync(e.Status.ToJson(), token);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // timeoutSeconds reached or the client went away: the stream just ends.
        }
    }

    /// <summary>Writes watch events, one JSON object per line, flushing each.</summary>
    private sealed class WatchWriter(HttpContext context, Rendering rendering, Api.Registry.ResourceDefinition resource, DateTimeOffset now)
    {
        private bool first = true;

        public Task WriteAsync(string type, JsonObject obj, CancellationToken token, bool flush = true)
        {
            var body = rendering.One(resource, obj, now, columnDefinitions: first);
            first = false;
            return WriteLineAsync(new JsonObject { ["type"] = type, ["object"] = body }, token, flush);
        }

        /// <summary>Writes a ready line (ending in a newline) without flushing: a batch is flushed once.</summary>
        public async Task WriteLineAsync(byte[] line, CancellationToken token)
        {
            first = false;
            await context.Response.Body.WriteAsync(line, token);
        }

        public Task FlushAsync(CancellationToken token) => context.Response.Body.FlushAsync(token);

        public Task WriteBookmarkAsync(long revision, CancellationToken token) =>
            WriteLineAsync(new JsonObject
            {
                ["type"] = "BOOKMARK",
                ["object"] = new JsonObject
                {
                    ["kind"] = resource.Kind,
                    ["apiVersion"] = resource.GroupVersion.ToString(),
                    ["metadata"] = new JsonObject { ["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture) },
                },
            }, token);

        public Task WriteErrorAsync(JsonObject status, CancellationToken token) =>
            WriteLineAsync(new JsonObject { ["type"] = "ERROR", ["object"] = status }, token);

        private async Task WriteLineAsync(JsonObject line, CancellationToken token, bool flush = true)
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(line, ApiResponses.Json);
            await context.Response.Body.WriteAsync(bytes, token);
            await context.Response.Body.WriteAsync(NewLine, token);
            if (flush)
                await context.Response.Body.FlushAsync(token);
        }

        private static readonly ReadOnlyMemory<byte> NewLine = "\n"u8.ToArray();
    }
}
