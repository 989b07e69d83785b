using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;
using Orchestrator.Client.Http;
using Orchestrator.Client.Watching;

namespace Orchestrator.Client;

public sealed partial class KubeClient
{
    /// <summary>
    /// Streams watch events (one JSON object per line) until the server ends the stream or
    /// <paramref name="token"/> is cancelled. An ERROR event throws: <see cref="ResourceExpiredException"/>
    /// for 410 (relist), <see cref="KubeApiException"/> otherwise. BOOKMARK events are yielded so callers
    /// can advance their resourceVersion.
    /// </summary>
    public async IAsyncEnumerable<WatchEvent> WatchAsync(ApiResource resource, string? ns, WatchOptions? options = null,
        [EnumeratorCancellation] CancellationToken token = default)
    {
        options ??= new WatchOptions();
        var path = resource.CollectionPath(ns) + new QueryString()
            .Add("watch", "true")
            .Add("resourceVersion", options.ResourceVersion)
            .Add("labelSelector", options.LabelSelector)
            .Add("fieldSelector", options.FieldSelector)
            .Add("allowWatchBookmarks", options.AllowBookmarks ? "true" : null)
            .Add("timeoutSeconds", options.TimeoutSeconds);
        using var response = await SendWithRetriesAsync(() => NewRequest(HttpMethod.Get, path, null, null),
            HttpCompletionOption.ResponseHeadersRead, timeout: null, token).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
        await using var _ = stream.ConfigureAwait(false);
        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync(token).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
                continue;
            var json = JsonNode.Parse(line) as JsonObject ?? throw new JsonException($"watch line is not an object: {line}");
            var type = json["type"]?.GetValue<string>() ?? throw new JsonException($"watch event without type: {line}");
            var obj = json["object"] as JsonObject ?? throw new JsonException($"watch event without object: {line}");
            json.Remove("object"); // detached, so callers may put it into other JSON trees
            if (type == WatchEventTypes.Error)
                throw StatusDecoding.ToException(Status.FromJson(obj));
            yield return new WatchEvent(type, obj);
        }
    }
}
