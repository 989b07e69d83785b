using DotNext.Net.Cluster.Consensus.Raft;
using Orchestrator.Storage.State;
using Orchestrator.Storage.Watch;

namespace Orchestrator.Storage.Replication;

partial class ReplicatedStore
{
    /// <summary>Reads a key; linearizable unless <paramref name="local"/> asks for this replica's state as it is.</summary>
    public async Task<(KeyValue? Value, long Revision)> GetAsync(string key, bool local, CancellationToken token)
    {
        if (!local && !options.UnsafeLocalReads)
            await ReadBarrierAsync(token).ConfigureAwait(false);
        return stateMachine.Get(key);
    }

    /// <summary>Lists a prefix, one page of at most <paramref name="limit"/> keys (0 = all) after <paramref name="startAfter"/>.</summary>
    public async Task<ListPage> ListAsync(string prefix, string? startAfter, int limit, bool local, CancellationToken token)
    {
        if (!local && !options.UnsafeLocalReads)
            await ReadBarrierAsync(token).ConfigureAwait(false);
        return stateMachine.List(prefix, startAfter, limit);
    }

    /// <summary>Waits until this replica has applied everything the leader had committed when called.</summary>
    public async Task ReadBarrierAsync(CancellationToken token)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(token);
        deadline.CancelAfter(options.LeaderWaitTimeout);
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    await cluster.ApplyReadBarrierAsync(deadline.Token).ConfigureAwait(false);
                    return;
                }
                catch (Exception e) when (e is QuorumUnreachableException or NotLeaderException or InvalidOperationException or DotNext.Net.Cluster.MemberUnavailableException && !deadline.IsCancellationRequested)
                {
                    await Task.Delay(Math.Min(10 * (attempt + 1), 100), deadline.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !token.IsCancellationRequested)
        {
            throw new NoLeaderException($"No leader confirmed a read within {options.LeaderWaitTimeout.TotalSeconds:F0}s.");
        }
    }

    /// <summary>Waits until this replica has applied <paramref name="revision"/>.</summary>
    public ValueTask WaitForRevisionAsync(long revision, CancellationToken token) =>
        stateMachine.Events.WaitForRevisionAsync(revision, token);

    /// <summary>
    /// Events under <paramref name="prefix"/> strictly after <paramref name="afterRevision"/>, from this
    /// replica's own window, in revision order with no gaps or duplicates. An idle watch gets a batch
    /// with no events every <paramref name="progressInterval"/> (progress notification). Throws
    /// <see cref="RevisionExpiredException"/> when the start is older than the window.
    /// </summary>
    public async IAsyncEnumerable<WatchBatch> WatchAsync(string prefix, long afterRevision, TimeSpan progressInterval,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken token)
    {
        var cursor = afterRevision;
        var lastSent = Environment.TickCount64;
        while (!token.IsCancellationRequested)
        {
            var events = stateMachine.Events.Read(cursor, 1024, out var progress, out var changed);
            cursor = progress;
            var matching = events.Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal)).ToList();
            if (matching.Count > 0)
            {
                lastSent = Environment.TickCount64;
                yield return new WatchBatch(matching, cursor);
                continue;
            }
            if (events.Count > 0)
                continue; // other prefixes only: read on without waiting

            var idle = TimeSpan.FromMilliseconds(Environment.TickCount64 - lastSent);
            var wait = progressInterval - idle;
            if (progressInterval > TimeSpan.Zero && wait <= TimeSpan.Zero)
            {
                lastSent = Environment.TickCount64;
                yield return new WatchBatch([], cursor);
                continue;
            }
            var delay = progressInterval > TimeSpan.Zero ? Task.Delay(wait, token) : Task.Delay(Timeout.Infinite, token);
            await Task.WhenAny(changed, delay).ConfigureAwait(false);
        }
    }
}
