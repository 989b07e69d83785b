using System.Net;
using System.Text;
using Orchestrator.Api.Errors;
using Xunit;

namespace Orchestrator.Client.Tests;

/// <summary>Client behaviour that a healthy server rarely shows: throttling and watch errors, from a scripted handler.</summary>
public sealed class FakeHandlerTests
{
    private sealed class ScriptedHandler(Func<int, HttpResponseMessage> respond) : HttpMessageHandler
    {
        public int Calls { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(respond(Calls++));
    }

    private static HttpResponseMessage Json(HttpStatusCode code, string body, TimeSpan? retryAfter = null)
    {
        var response = new HttpResponseMessage(code) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (retryAfter is { } delay)
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(delay);
        return response;
    }

    private const string Throttled = """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"slow down","reason":"TooManyRequests","code":429}""";

    [Fact]
    public async Task TooManyRequestsWithRetryAfterIsRetried()
    {
        var handler = new ScriptedHandler(n => n < 2
            ? Json(HttpStatusCode.TooManyRequests, Throttled, TimeSpan.Zero)
            : Json(HttpStatusCode.OK, """{"kind":"ConfigMap","metadata":{"name":"cm"}}"""));
        using var client = new KubeClient(new Uri("http://fake"), handler);

        var obj = await client.GetAsync(ApiResource.ConfigMaps, "ns", "cm", Objects.Timeout());
        Assert.Equal("cm", Objects.Name(obj));
        Assert.Equal(3, handler.Calls);
    }

    [Fact]
    public async Task RetriesAreBoundedAndEndWithTheStatus()
    {
        var handler = new ScriptedHandler(_ => Json(HttpStatusCode.TooManyRequests, Throttled, TimeSpan.Zero));
        using var client = new KubeClient(new Uri("http://fake"), handler, new KubeClientOptions { MaxRetries = 2 });

        var error = await Assert.ThrowsAsync<KubeApiException>(() => client.GetAsync(ApiResource.ConfigMaps, "ns", "cm", Objects.Timeout()));
        Assert.Equal((429, StatusReasons.TooManyRequests, "slow down"), (error.Code, error.Reason, error.Message));
        Assert.Equal(3, handler.Calls);
    }

    [Fact]
    public async Task ServiceUnavailableWithoutRetryAfterIsNotRetried()
    {
        var handler = new ScriptedHandler(_ => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = new StringContent("no leader") });
        using var client = new KubeClient(new Uri("http://fake"), handler);

        var error = await Assert.ThrowsAsync<KubeApiException>(() => client.GetAsync(ApiResource.ConfigMaps, "ns", "cm", Objects.Timeout()));
        Assert.Equal((503, StatusReasons.ServiceUnavailable, "no leader"), (error.Code, error.Reason, error.Message));
        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task WatchErrorEventWith410IsResourceExpired()
    {
        const string stream = """
            {"type":"ADDED","object":{"kind":"ConfigMap","metadata":{"name":"a","namespace":"ns","resourceVersion":"7"}}}
            {"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version: 3 (7)","reason":"Expired","code":410}}

            """;
        using var client = new KubeClient(new Uri("http://fake"), new ScriptedHandler(_ => Json(HttpStatusCode.OK, stream)));

        var seen = new List<string>();
        var expired = await Assert.ThrowsAsync<ResourceExpiredException>(async () =>
        {
            await foreach (var e in client.WatchAsync(ApiResource.ConfigMaps, "ns", new() { ResourceVersion = "3" }, Objects.Timeout()))
                seen.Add(e.Type);
        });
        Assert.Equal(["ADDED"], seen);
        Assert.Equal(StatusReasons.Expired, expired.Reason);
    }
}
