using DotNext.Net.Cluster.Consensus.Raft;

namespace Orchestrator.Storage.Replication;

/// <summary>
/// Tells the followers a new commit index now instead of at the next heartbeat (half an election timeout, ~75 ms,
/// when idle): a follower that forwarded a write answers only once it has applied it, and its watchers see the
/// write only then. Requests coalesce: at most one forced round runs and at most one more is owed, however many
/// writes ask; awaiting a forced round per forwarded write (it waits for every member) had cost a full extra round
/// trip per write and queued rounds behind slow followers under load.
/// </summary>
internal sealed class CommitBroadcast(RaftCluster cluster)
{
    private int state; // 0 idle, 1 a round running, 2 a round running and another owed

    public void Request()
    {
        while (true)
        {
            var current = Volatile.Read(ref state);
            if (current == 2)
                return;
            if (Interlocked.CompareExchange(ref state, current + 1, current) != current)
                continue;
            if (current == 0)
                _ = RunAsync();
            return;
        }
    }

    private async Task RunAsync()
    {
        do
        {
            try
            {
                await cluster.ForceReplicationAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is NotLeaderException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
            {
                // Leadership moved or the node stops: followers hear from the next leader.
            }
        }
        while (Interlocked.Decrement(ref state) > 0);
    }
}
