using Microsoft.Extensions.Time.Testing;
using Orchestrator.Storage.Watch;
using Xunit;

namespace Orchestrator.Storage.Tests.Watch;

public sealed class EventWindowTests
{
    private static WatchEvent Put(long revision) => new(revision, WatchEventType.Put, $"/k/{revision}", [], revision, null);

    [Fact]
    public void ReadsStartStrictlyAfterTheGivenRevisionAndSkipNoEvent()
    {
        var window = new EventWindow(new WatchWindowOptions(), TimeProvider.System, startRevision: 10);
        foreach (var revision in new long[] { 11, 13, 14, 20 })
            window.Append(revision, Put(revision));
        window.Append(21, null); // an entry with no event (no-op, failed precondition)

        Assert.Equal([13L, 14, 20], window.Read(11, 100, out var progress, out _).Select(e => e.Revision));
        Assert.Equal(21, progress);
        Assert.Equal([11L, 13], window.Read(10, 2, out progress, out _).Select(e => e.Revision));
        Assert.Equal(13, progress); // cut by the limit: complete only up to the last event returned
        Assert.Empty(window.Read(21, 100, out progress, out _));
        Assert.Equal(21, progress);
    }

    [Fact]
    public void AStartOlderThanTheWindowIsExpired()
    {
        var window = new EventWindow(new WatchWindowOptions { MaxEvents = 3 }, TimeProvider.System, startRevision: 0);
        for (long revision = 1; revision <= 10; revision++)
            window.Append(revision, Put(revision));
        var error = Assert.Throws<RevisionExpiredException>(() => window.Read(5, 100, out _, out _));
        Assert.Equal(7, error.OldestAvailable);
        Assert.Equal([8L, 9, 10], window.Read(7, 100, out _, out _).Select(e => e.Revision));
    }

    [Fact]
    public void EventsOlderThanTheMaximumAgeLeaveTheWindow()
    {
        var clock = new FakeTimeProvider();
        var window = new EventWindow(new WatchWindowOptions { MaxAge = TimeSpan.FromMinutes(1) }, clock, startRevision: 0);
        window.Append(1, Put(1));
        clock.Advance(TimeSpan.FromMinutes(2));
        window.Append(2, Put(2));
        Assert.Throws<RevisionExpiredException>(() => window.Read(0, 100, out _, out _));
        Assert.Equal([2L], window.Read(1, 100, out _, out _).Select(e => e.Revision));
    }

    [Fact]
    public async Task WaitingForARevisionCompletesWhenItIsApplied()
    {
        var window = new EventWindow(new WatchWindowOptions(), TimeProvider.System, startRevision: 0);
        var wait = window.WaitForRevisionAsync(3, CancellationToken.None).AsTask();
        window.Append(1, Put(1));
        window.Append(2, null);
        Assert.False(wait.IsCompleted);
        window.Append(3, Put(3));
        await wait.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
