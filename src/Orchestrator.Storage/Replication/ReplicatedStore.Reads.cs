using DotNext.Net.Cluster.Consensus.Raft;
using Grpc.Core;
using ReadIndexRequest = Orchestrator.Storage.Replication.Grpc.ReadIndexRequest;
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

    /// <summary>
    /// Waits until this replica has applied everything committed before the call (read index). A follower
    /// asks the leader over gRPC rather than through DotNext's follower barrier, which answers with the
    /// leader's commit index as it is: a leader fresh from an election may not yet know that entries of an
    /// earlier term are committed (Raft §8), and a follower would read from before them. Seen after a
    /// whole-cluster restart.
    /// </summary>
    public async Task ReadBarrierAsync(CancellationToken token)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(token);
        deadline.CancelAfter(options.LeaderWaitTimeout);
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                if (attempt > 0)
                    await Task.Delay(Math.Min(10 * attempt, 100), deadline.Token).ConfigureAwait(false);
                var leader = cluster.Leader;
                if (leader is null)
                    continue;
                if (!leader.IsRemote)
                {
                    try
                    {
                        await ReadIndexAsLeaderAsync(deadline.Token).ConfigureAwait(false);
                        return;
                    }
                    catch (Exception e) when (IsLeadershipChange(e) && !deadline.IsCancellationRequested)
                    {
                        continue;
                    }
                }
                var address = await GrpcAddressOfAsync(leader, deadline.Token).ConfigureAwait(false);
                if (address is null)
                    continue;
                try
                {
                    var reply = await leaderClients.For(address)
                        .ReadIndexAsync(new ReadIndexRequest(), cancellationToken: deadline.Token)
                        .ConfigureAwait(false);
                    await stateMachine.Events.WaitForRevisionAsync(reply.Index, deadline.Token).ConfigureAwait(false);
                    return;
                }
                catch (RpcException) when (!deadline.IsCancellationRequested)
                {
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled)
                {
                    throw new OperationCanceledException(e.Status.Detail, e, deadline.Token);
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !token.IsCancellationRequested)
        {
            throw new NoLeaderException($"No leader confirmed a read within {options.LeaderWaitTimeout.TotalSeconds:F0}s.");
        }
    }

    /// <summary>
    /// On the leader: confirms leadership with a quorum and applies up to the end of its log, which holds
    /// every committed entry and the no-op it appended on election. Returns the applied index, which a
    /// follower must reach before it reads. Throws <see cref="NotLeaderException"/> when this replica is not
    /// the leader, or stopped being it (DotNext's barrier would then fall back to the follower path).
    /// </summary>
    internal async Task<long> ReadIndexAsLeaderAsync(CancellationToken token)
    {
        var term = cluster.Term;
        if (cluster.Leader is not { IsRemote: false })
            throw new NotLeaderException();
        await cluster.ApplyReadBarrierAsync(token).ConfigureAwait(false);
        if (cluster.Term != term || cluster.Leader is not { IsRemote: false })
            throw new NotLeaderException();
        return stateMachine.AppliedIndex;
    }

    private static bool IsLeadershipChange(Exception e) =>
        e is QuorumUnreachableException or NotLeaderException or InvalidOperationException or DotNext.Net.Cluster.MemberUnavailableException;

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
