using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Orchestrator.Server.Http;

/// <summary>Request counts and latency by verb, resource and code (named like apiserver_request_*).</summary>
public sealed class ApiMetrics : IDisposable
{
    public const string MeterName = "Orchestrator.ApiServer";

    private readonly Meter meter = new(MeterName);
    private readonly Histogram<double> duration;
    private readonly Counter<long> requests;
    private readonly UpDownCounter<long> watches;
    private readonly Counter<long> byUser;
    private readonly Counter<long> dropped;

    public ApiMetrics()
    {
        duration = meter.CreateHistogram<double>("orchestrator_apiserver_request_duration_seconds", "s",
            "Time to answer an API request (watches: until the stream ends).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });
        requests = meter.CreateCounter<long>("orchestrator_apiserver_requests_total", description: "API requests answered.");
        watches = meter.CreateUpDownCounter<long>("orchestrator_apiserver_watches", description: "Watches open now.");
        byUser = meter.CreateCounter<long>("orchestrator_apiserver_requests_by_user_total",
            description: "API requests answered, by authenticated user and verb: who loads the cluster.");
        dropped = meter.CreateCounter<long>("orchestrator_apiserver_dropped_requests_total",
            description: "Requests refused with 429 because this replica had too many in flight, by request_kind.");
    }

    /// <summary>Counts one answered request of <paramref name="user"/> (users are few: people, controllers, nodes).</summary>
    public void RecordUser(string user, string verb) =>
        byUser.Add(1, new TagList { { "user", user }, { "verb", verb } });

    public void Dropped(string requestKind) => dropped.Add(1, new KeyValuePair<string, object?>("request_kind", requestKind));

    /// <summary>Publishes the in-flight counts of <see cref="InflightLimits"/> as kube's apiserver_current_inflight_requests.</summary>
    public void ObserveInflight(Func<long> mutating, Func<long> readOnly) =>
        meter.CreateObservableGauge("orchestrator_apiserver_current_inflight_requests", () => new[]
        {
            new Measurement<long>(mutating(), new KeyValuePair<string, object?>("request_kind", "mutating")),
            new Measurement<long>(readOnly(), new KeyValuePair<string, object?>("request_kind", "readOnly")),
        }, description: "Requests in flight on this replica now, by request_kind (long-running ones not counted).");

    public void Record(string verb, string resource, int code, TimeSpan elapsed)
    {
        var tags = new TagList { { "verb", verb }, { "resource", resource }, { "code", code.ToString(System.Globalization.CultureInfo.InvariantCulture) } };
        duration.Record(elapsed.TotalSeconds, tags);
        requests.Add(1, tags);
    }

    public void WatchStarted() => watches.Add(1);

    public void WatchEnded() => watches.Add(-1);

    public void Dispose() => meter.Dispose();
}
