using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Orchestrator.Client.Events;
using Xunit;

namespace Orchestrator.Client.Tests.Events;

/// <summary>What the recorder sends for correlated events, against a scripted API that remembers Events.</summary>
public sealed class EventRecorderTests
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>Stores created Events by name; PATCH of an unknown one is 404, POST of a known one 409.</summary>
    private sealed class EventApi : HttpMessageHandler
    {
        public List<(string Method, JsonObject Body)> Requests { get; } = [];

        public Dictionary<string, JsonObject> Events { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken))!.AsObject();
            lock (this)
            {
                Requests.Add((request.Method.Method, body));
                if (request.Method == HttpMethod.Post)
                {
                    var name = body["metadata"]!["name"]!.GetValue<string>();
                    if (!Events.TryAdd(name, body))
                        return Status(HttpStatusCode.Conflict, "AlreadyExists");
                    return Json(HttpStatusCode.Created, body);
                }
                var target = request.RequestUri!.AbsolutePath.Split('/')[^1];
                if (!Events.TryGetValue(target, out var stored))
                    return Status(HttpStatusCode.NotFound, "NotFound");
                foreach (var (field, value) in body)
                    stored[field] = value?.DeepClone();
                return Json(HttpStatusCode.OK, stored);
            }
        }

        private static HttpResponseMessage Json(HttpStatusCode code, JsonObject body) =>
            new(code) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };

        private static HttpResponseMessage Status(HttpStatusCode code, string reason) =>
            Json(code, new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["status"] = "Failure", ["reason"] = reason, ["code"] = (int)code });
    }

    private static JsonObject Pod(string name) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "ns", ["uid"] = "uid-" + name },
    };

    private static async Task UntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
            await Task.Delay(10);
        Assert.True(condition());
    }

    private (EventApi Api, KubeClient Client, EventRecorder Recorder) Start()
    {
        var api = new EventApi();
        var client = new KubeClient(new Uri("http://fake"), api);
        return (api, client, new EventRecorder(client, "default-scheduler", clock, NullLogger.Instance));
    }

    [Fact]
    public async Task RepeatsQueuedBeforeTheirCreateAreOneWrite()
    {
        var (api, client, recorder) = Start();
        using (client)
        {
            for (var i = 0; i < 30; i++)
                recorder.Warning(Pod("p"), "FailedScheduling", "0/0 nodes are available.");
            using var stop = new CancellationTokenSource();
            var running = recorder.RunAsync(2, stop.Token);
            await UntilAsync(() => recorder.Written == 1);
            await Task.Delay(50);
            stop.Cancel();
            await running;

            var (method, body) = Assert.Single(api.Requests);
            Assert.Equal("POST", method);
            Assert.Equal(25, (int)body["count"]!); // the 25 the spam filter let through, folded into one create
            Assert.Equal("default-scheduler", (string?)body["source"]!["component"]);
            Assert.Equal("uid-p", (string?)body["involvedObject"]!["uid"]);
            Assert.Equal(5, recorder.Dropped);
        }
    }

    [Fact]
    public async Task ARepeatAfterTheCreateIsAPatchOfCountAndLastTimestamp()
    {
        var (api, client, recorder) = Start();
        using (client)
        {
            using var stop = new CancellationTokenSource();
            var running = recorder.RunAsync(2, stop.Token);
            recorder.Normal(Pod("p"), "Pulling", "Pulling image \"busybox\"");
            await UntilAsync(() => recorder.Written == 1);
            clock.Advance(TimeSpan.FromSeconds(30));
            recorder.Normal(Pod("p"), "Pulling", "Pulling image \"busybox\"");
            await UntilAsync(() => recorder.Written == 2);
            stop.Cancel();
            await running;

            Assert.Equal(["POST", "PATCH"], api.Requests.Select(r => r.Method));
            var stored = Assert.Single(api.Events.Values);
            Assert.Equal(2, (int)stored["count"]!);
            Assert.Equal("2026-12-01T00:00:00Z", (string?)stored["firstTimestamp"]);
            Assert.Equal("2026-12-01T00:00:30Z", (string?)stored["lastTimestamp"]);
        }
    }

    [Fact]
    public async Task ABumpOfAnEventThatIsNotThereCreatesIt()
    {
        var (api, client, recorder) = Start();
        using (client)
        {
            using var stop = new CancellationTokenSource();
            var running = recorder.RunAsync(1, stop.Token);
            recorder.Warning(Pod("p"), "BackOff", "Back-off restarting failed container");
            await UntilAsync(() => recorder.Written == 1);
            lock (api)
                api.Events.Clear(); // expired on the server (events live an hour)
            recorder.Warning(Pod("p"), "BackOff", "Back-off restarting failed container");
            await UntilAsync(() => recorder.Written == 2);
            stop.Cancel();
            await running;

            Assert.Equal(["POST", "PATCH", "POST"], api.Requests.Select(r => r.Method));
            Assert.Equal(2, (int)Assert.Single(api.Events.Values)["count"]!);
        }
    }
}
