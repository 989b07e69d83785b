using Microsoft.Extensions.Time.Testing;
using Orchestrator.Controllers.Scheduling;

namespace Orchestrator.Controllers.Tests.Scheduling;

/// <summary>The scheduling queue without a cluster: active, backoff and unschedulable pods on a fake clock.</summary>
public sealed class SchedulingQueueTests
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly SchedulingQueue queue;

    public SchedulingQueueTests() => queue = new SchedulingQueue(clock);

    private string Take()
    {
        var task = queue.TakeAsync(new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token);
        Assert.True(task.IsCompleted, "nothing active to take");
        return task.Result;
    }

    private bool CanTake() => queue.ActiveCount > 0;

    /// <summary>The pod comes back from the backoff queue exactly <paramref name="expected"/> after it failed.</summary>
    private void AssertBackoff(string key, TimeSpan expected)
    {
        clock.Advance(expected - TimeSpan.FromMilliseconds(1));
        queue.FlushBackoffCompleted();
        Assert.False(CanTake(), $"{key} left backoff before {expected}");
        clock.Advance(TimeSpan.FromMilliseconds(1));
        queue.FlushBackoffCompleted();
        Assert.Equal(key, Take());
    }

    [Fact]
    public void ActivePodsAreHandedOutInOrderAndOnlyOnce()
    {
        queue.Add("ns/a");
        queue.Add("ns/b");
        queue.Add("ns/a");
        queue.Update("ns/b");

        Assert.Equal(2, queue.ActiveCount);
        Assert.Equal("ns/a", Take());
        Assert.Equal("ns/b", Take());
        Assert.Equal(0, queue.ActiveCount);
        Assert.False(queue.TakeAsync(CancellationToken.None).IsCompleted);
    }

    [Fact]
    public void BackoffDoublesFromOneSecondToTenPerAttempt()
    {
        queue.Add("ns/p");
        Assert.Equal("ns/p", Take());
        double[] seconds = [1, 2, 4, 8, 10, 10];
        foreach (var expected in seconds)
        {
            Assert.Equal(TimeSpan.FromSeconds(expected), queue.BackoffOf("ns/p"));
            queue.AddBackoff("ns/p");
            Assert.True(queue.IsBackingOff("ns/p"));
            AssertBackoff("ns/p", TimeSpan.FromSeconds(expected));
        }
    }

    [Fact]
    public void UnschedulablePodWaitsForAClusterChange()
    {
        queue.Add("ns/p");
        Take();
        queue.AddUnschedulable("ns/p");

        clock.Advance(TimeSpan.FromMinutes(1));
        queue.FlushBackoffCompleted();
        queue.FlushUnschedulableLeftover();
        Assert.True(queue.IsUnschedulable("ns/p"));
        Assert.False(CanTake());

        queue.MoveAllToActiveOrBackoff();
        Assert.Equal("ns/p", Take());
    }

    [Fact]
    public void AClusterChangeRespectsTheBackoff()
    {
        queue.Add("ns/p");
        Take();
        queue.AddBackoff("ns/p");
        AssertBackoff("ns/p", TimeSpan.FromSeconds(1));
        queue.AddUnschedulable("ns/p"); // second attempt failed: 2 s

        clock.Advance(TimeSpan.FromMilliseconds(500));
        queue.MoveAllToActiveOrBackoff();
        Assert.True(queue.IsBackingOff("ns/p"));
        Assert.False(CanTake());
        AssertBackoff("ns/p", TimeSpan.FromMilliseconds(1500));
    }

    [Fact]
    public void UnschedulablePodsAreRetriedAfterFiveMinutesAtMost()
    {
        queue.Add("ns/early");
        Take();
        queue.AddUnschedulable("ns/early");
        clock.Advance(TimeSpan.FromMinutes(2));
        queue.Add("ns/late");
        Take();
        queue.AddUnschedulable("ns/late");

        clock.Advance(TimeSpan.FromMinutes(3) - TimeSpan.FromSeconds(1));
        queue.FlushUnschedulableLeftover();
        Assert.Equal(2, queue.UnschedulableCount);

        clock.Advance(TimeSpan.FromSeconds(1));
        queue.FlushUnschedulableLeftover();
        Assert.Equal(1, queue.UnschedulableCount);
        Assert.Equal("ns/early", Take());
        Assert.True(queue.IsUnschedulable("ns/late"));
    }

    [Fact]
    public async Task PeriodicFlushesRunOnTheInjectedClock()
    {
        using var stop = new CancellationTokenSource();
        var running = queue.RunAsync(stop.Token);
        queue.Add("ns/p");
        Take();
        queue.AddUnschedulable("ns/p");

        for (var i = 0; i < 10; i++)
            clock.Advance(TimeSpan.FromSeconds(30));
        // The flush runs on a timer callback: wait for it (in real time) rather than expect it synchronously.
        Assert.Equal("ns/p", await queue.TakeAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token));

        stop.Cancel();
        await running.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void AChangeWhileInFlightSkipsTheUnschedulableQueue()
    {
        queue.Add("ns/p");
        Take();
        queue.MoveAllToActiveOrBackoff(); // e.g. a node joined while the pod was being tried
        queue.AddUnschedulable("ns/p");

        Assert.True(queue.IsBackingOff("ns/p"));
        AssertBackoff("ns/p", TimeSpan.FromSeconds(1));
        queue.AddUnschedulable("ns/p"); // no change during this attempt: parked
        Assert.True(queue.IsUnschedulable("ns/p"));
    }

    [Fact]
    public void OnlyASchedulingChangeOfThePodRequeuesIt()
    {
        queue.Add("ns/p");
        Take();
        queue.AddUnschedulable("ns/p");

        queue.Add("ns/p"); // a status-only update (the scheduler's own condition write) comes as Add
        Assert.True(queue.IsUnschedulable("ns/p"));

        clock.Advance(TimeSpan.FromSeconds(2));
        queue.Update("ns/p"); // spec or labels changed
        Assert.Equal("ns/p", Take());
    }

    [Fact]
    public void NoDuplicateEntriesWhateverTheOrderOfEvents()
    {
        queue.Add("ns/p");
        var key = Take();
        queue.Add(key);
        queue.Update(key);
        queue.MoveAllToActiveOrBackoff();
        Assert.Equal(0, queue.ActiveCount);
        queue.AddUnschedulable(key);
        queue.AddUnschedulable(key);
        queue.AddBackoff(key);
        Assert.Equal(1, queue.Count);
        Assert.Equal(1, queue.BackoffCount); // the change during the attempt: backoff, not parked
        clock.Advance(TimeSpan.FromSeconds(1));
        queue.FlushBackoffCompleted();
        queue.FlushBackoffCompleted();
        queue.MoveAllToActiveOrBackoff();
        queue.Update(key);
        Assert.Equal(1, queue.ActiveCount);
        Assert.Equal(key, Take());
        Assert.Equal(0, queue.ActiveCount);
        Assert.False(queue.TakeAsync(CancellationToken.None).IsCompleted);
    }

    [Fact]
    public void DeletedPodsLeaveNoTraceAndStartAfresh()
    {
        queue.Add("ns/gone");
        queue.Add("ns/p");
        queue.Delete("ns/gone");
        Assert.Equal(1, queue.ActiveCount);
        Assert.Equal("ns/p", Take());
        queue.AddBackoff("ns/p");
        queue.Delete("ns/p");
        Assert.Equal(0, queue.Count);

        queue.Add("ns/p");
        Assert.Equal("ns/p", Take());
        Assert.Equal(TimeSpan.FromSeconds(1), queue.BackoffOf("ns/p")); // attempts forgotten
        queue.Delete("ns/p");
        queue.AddUnschedulable("ns/p"); // a late result for a deleted pod is ignored
        Assert.Equal(0, queue.Count);
    }
}
