using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Orchestrator.Client.Events;
using Xunit;

namespace Orchestrator.Client.Tests.Events;

/// <summary>client-go's event correlation without a cluster: aggregation, deduplication and the spam filter on a fake clock.</summary>
public sealed class EventCorrelatorTests
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));

    private static JsonObject Pod(string name) => new()
    {
        ["kind"] = "Pod",
        ["namespace"] = "ns",
        ["name"] = name,
        ["uid"] = "uid-" + name,
        ["apiVersion"] = "v1",
    };

    [Fact]
    public void ThirtyIdenticalEventsAreOneEventAndAtMostTwentyFiveWrites()
    {
        var correlator = new EventCorrelator(clock);
        var pod = Pod("p");

        var writes = Enumerable.Range(0, 30).Select(_ => correlator.Correlate(pod, "Warning", "FailedScheduling", "0/0 nodes are available.")).ToList();

        var accepted = writes.OfType<CorrelatedEvent>().ToList();
        Assert.Equal(25, accepted.Count);
        Assert.Equal(5, correlator.Discarded);
        Assert.True(accepted[0].IsNew);
        Assert.Single(accepted.Select(e => e.Name).Distinct());
        Assert.Equal(Enumerable.Range(1, 25), accepted.Select(e => e.Count));
        Assert.All(writes.Skip(25), Assert.Null);
    }

    [Fact]
    public void TheSpamFilterRefillsOneTokenPerFiveMinutesAndCountsWhatItDropped()
    {
        var correlator = new EventCorrelator(clock);
        var pod = Pod("p");
        for (var i = 0; i < 30; i++)
            correlator.Correlate(pod, "Warning", "BackOff", "Back-off restarting failed container");

        clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        Assert.Null(correlator.Correlate(pod, "Warning", "BackOff", "Back-off restarting failed container"));
        clock.Advance(TimeSpan.FromSeconds(1));
        var next = correlator.Correlate(pod, "Warning", "BackOff", "Back-off restarting failed container");
        Assert.NotNull(next);
        Assert.Equal(32, next.Count); // dropped occurrences still count
        Assert.Null(correlator.Correlate(pod, "Warning", "BackOff", "Back-off restarting failed container"));
    }

    [Fact]
    public void TheSpamFilterIsPerObject()
    {
        var correlator = new EventCorrelator(clock);
        for (var i = 0; i < 25; i++)
            Assert.NotNull(correlator.Correlate(Pod("a"), "Normal", "Pulled", $"image {i}"));
        Assert.Null(correlator.Correlate(Pod("a"), "Normal", "Pulled", "image 25"));
        Assert.NotNull(correlator.Correlate(Pod("b"), "Normal", "Pulled", "image 0"));
    }

    [Fact]
    public void AnIdenticalEventAfterTheWindowIsANewEvent()
    {
        var correlator = new EventCorrelator(clock);
        var first = correlator.Correlate(Pod("p"), "Normal", "Scheduled", "assigned")!;
        clock.Advance(TimeSpan.FromMinutes(10));
        var repeat = correlator.Correlate(Pod("p"), "Normal", "Scheduled", "assigned")!;
        Assert.Equal((first.Name, 2, first.FirstTimestamp, clock.GetUtcNow()), (repeat.Name, repeat.Count, repeat.FirstTimestamp, repeat.LastTimestamp));

        clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        var later = correlator.Correlate(Pod("p"), "Normal", "Scheduled", "assigned")!;
        Assert.True(later.IsNew);
        Assert.NotEqual(first.Name, later.Name);
    }

    [Fact]
    public void TheTenthSimilarEventIsCombinedAndLaterOnesBumpIt()
    {
        var correlator = new EventCorrelator(clock);
        var pod = Pod("p");
        var individual = Enumerable.Range(0, 9).Select(i => correlator.Correlate(pod, "Warning", "FailedScheduling", $"0/{i} nodes are available.")!).ToList();
        Assert.All(individual, e => Assert.True(e.IsNew));
        Assert.Equal(9, individual.Select(e => e.Name).Distinct().Count());

        var combined = correlator.Correlate(pod, "Warning", "FailedScheduling", "0/9 nodes are available.")!;
        Assert.True(combined.IsNew);
        Assert.Equal(EventCorrelator.CombinedPrefix + "0/9 nodes are available.", combined.Message);

        var more = correlator.Correlate(pod, "Warning", "FailedScheduling", "0/10 nodes are available.")!;
        Assert.Equal((combined.Name, 2, EventCorrelator.CombinedPrefix + "0/10 nodes are available."), (more.Name, more.Count, more.Message));

        // Another reason about the same object is a group of its own.
        Assert.Equal("Pulling image", correlator.Correlate(pod, "Normal", "Pulling", "Pulling image")!.Message);
    }

    [Fact]
    public void SimilarEventsSpreadBeyondTheWindowAreNotCombined()
    {
        var correlator = new EventCorrelator(clock);
        for (var i = 0; i < 20; i++)
        {
            var e = correlator.Correlate(Pod("p"), "Warning", "Unhealthy", $"probe failed {i}")!;
            Assert.DoesNotContain(EventCorrelator.CombinedPrefix, e.Message);
            clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        }
    }

    [Fact]
    public void MemoryIsBoundedByTheCacheSize()
    {
        var correlator = new EventCorrelator(clock, new EventCorrelatorOptions { CacheSize = 100 });
        for (var i = 0; i < 1000; i++)
            Assert.NotNull(correlator.Correlate(Pod("p" + i), "Normal", "Created", "Created container c"));
        Assert.Equal(100, correlator.TrackedKeys);

        // The most recent objects are still remembered: their repeats are bumps.
        Assert.Equal(2, correlator.Correlate(Pod("p999"), "Normal", "Created", "Created container c")!.Count);
        Assert.True(correlator.Correlate(Pod("p0"), "Normal", "Created", "Created container c")!.IsNew);
    }
}
