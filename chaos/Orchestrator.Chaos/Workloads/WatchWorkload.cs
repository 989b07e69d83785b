using System.Net;
using System.Text.Json.Nodes;
using Orchestrator.Chaos.Checkers;
using Orchestrator.Chaos.History;
using Orchestrator.Testing;

namespace Orchestrator.Chaos.Workloads;

/// <summary>
/// Watchers on every replica: most watch the namespace the other workloads write, some a quiet namespace where only
/// bookmarks come. Each closes its watch after a random 0-5 s (quiet: 0-12 s, so bookmarks arrive) and reopens from
/// the last resourceVersion it was given, as informers do; after 410 Gone it lists again and watches from the list.
/// Checked by <see cref="WatchChecker"/> against each other and the acknowledged writes.
/// </summary>
public sealed class WatchWorkload(ApiCluster cluster, int watchers) : IWorkload
{
    public const string QuietNamespace = "chaos-quiet";

    public string Name => "watch";

    public Task SetUpAsync(ApiClients api, IDictionary<string, string?> initial, CancellationToken token) =>
        api.CreateNamespaceAsync(QuietNamespace, token);

    public Task RunAsync(ApiClients api, CancellationToken token) =>
        Task.WhenAll(Enumerable.Range(0, watchers).Select(w => Task.Run(() => WatcherAsync(api, w, token), CancellationToken.None)));

    public Task FinalReadsAsync(ApiClients api, CancellationToken token) => Task.CompletedTask;

    public IEnumerable<CheckResult> Check(RunHistory history) => WatchChecker.Check(history.Watches, history.Operations);

    private async Task WatcherAsync(ApiClients api, int watcher, CancellationToken token)
    {
        var random = new Random(watcher * 31 + 7);
        var replica = watcher % api.Replicas;
        var ns = watcher % 4 == 3 ? QuietNamespace : ApiClients.Namespace;
        using var http = api.CreateLongClient(cluster, replica);
        long? from = null;
        var resumed = false;
        while (!token.IsCancellationRequested)
        {
            if (from is null)
            {
                from = await ListRevisionAsync(http, ns, token);
                resumed = false;
                if (from is null)
                {
                    await Delay(200, token);
                    continue;
                }
            }
            var length = TimeSpan.FromMilliseconds(random.Next(ns == QuietNamespace ? 12_000 : 5_000));
            var session = await WatchAsync(api.Recorder, http, watcher, replica, ns, from.Value, resumed, length, token);
            api.Recorder.AddWatch(session);
            if (session.Error == "410 Gone")
            {
                from = null;
                continue;
            }
            if (session.Events.Count > 0)
            {
                from = session.Events[^1].Revision;
                resumed = true;
            }
            if (session.Error is not null)
                await Delay(200, token);
        }
    }

    private static async Task<long?> ListRevisionAsync(HttpClient http, string ns, CancellationToken token)
    {
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(token);
            deadline.CancelAfter(TimeSpan.FromSeconds(5));
            using var response = await http.GetAsync($"/api/v1/namespaces/{ns}/configmaps", deadline.Token);
            if (response.StatusCode != HttpStatusCode.OK)
                return null;
            var list = JsonNode.Parse(await response.Content.ReadAsStringAsync(deadline.Token))!;
            return long.Parse(list["metadata"]!["resourceVersion"]!.GetValue<string>());
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            return null;
        }
    }

    private static async Task<WatchSession> WatchAsync(Recorder recorder, HttpClient http, int watcher, int replica, string ns, long from,
        bool resumed, TimeSpan length, CancellationToken token)
    {
        var start = recorder.Now;
        var events = new List<WatchEvent>();
        string? error = null;
        using var close = CancellationTokenSource.CreateLinkedTokenSource(token);
        close.CancelAfter(length);
        try
        {
            using var response = await http.GetAsync(
                $"/api/v1/namespaces/{ns}/configmaps?watch=1&resourceVersion={from}&allowWatchBookmarks=true&timeoutSeconds=60",
                HttpCompletionOption.ResponseHeadersRead, close.Token);
            if (response.StatusCode != HttpStatusCode.OK)
                error = response.StatusCode == HttpStatusCode.Gone ? "410 Gone" : $"{(int)response.StatusCode}";
            else
            {
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(close.Token));
                while (await reader.ReadLineAsync(close.Token) is { } line)
                {
                    if (line.Length == 0)
                        continue;
                    var item = JsonNode.Parse(line)!;
                    var type = item["type"]!.GetValue<string>();
                    var obj = item["object"]!;
                    if (type == "ERROR")
                    {
                        error = obj["code"]?.GetValue<int>() == 410 ? "410 Gone" : $"ERROR {obj["message"]}";
                        break;
                    }
                    var data = obj["data"];
                    var value = data?["value"] ?? data?[ListAppendWorkload.Field] ?? data?[CreateUniqueWorkload.Field];
                    events.Add(new WatchEvent(type, type == "BOOKMARK" ? "" : obj["metadata"]!["name"]!.GetValue<string>(),
                        long.Parse(obj["metadata"]!["resourceVersion"]!.GetValue<string>()), value?.GetValue<string>(), recorder.Now));
                }
                error ??= close.IsCancellationRequested ? null : "ended by the server";
            }
        }
        catch (OperationCanceledException) when (close.IsCancellationRequested)
        {
            // The watcher's own close.
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
        {
            error = e.GetType().Name + ": " + e.Message;
        }
        return new WatchSession
        {
            Watcher = watcher, Replica = replica + 1, Namespace = ns, From = from, Resumed = resumed, Start = start, End = recorder.Now,
            Events = events, Error = error,
        };
    }

    private static async Task Delay(int ms, CancellationToken token)
    {
        try
        {
            await Task.Delay(ms, token);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
