using System.Collections.Concurrent;
using DotNext.Net.Cluster.Consensus.Raft;
using Orchestrator.Storage.Replication.Grpc;

namespace Orchestrator.Storage.Replication;

/// <summary>
/// On the leader, asks each follower for its applied index every couple of seconds, so that
/// orchestrator_raft_follower_lag_entries{peer} can be exported (DotNext keeps match indexes internal).
/// </summary>
internal sealed class FollowerLagProbe(ReplicatedStore store) : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private Task loop = Task.CompletedTask;

    public ConcurrentDictionary<string, long> Lags { get; } = new(StringComparer.Ordinal);

    public void Start() => loop = RunAsync(stop.Token);

    private async Task RunAsync(CancellationToken token)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(2));
        while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
        {
            if (!store.IsLeader)
            {
                Lags.Clear();
                continue;
            }
            foreach (var member in store.RemoteMembers())
            {
                try
                {
                    var address = await ReplicatedStore.GrpcAddressOfAsync(member, token).ConfigureAwait(false);
                    if (address is null)
                        continue;
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
                    timeout.CancelAfter(TimeSpan.FromSeconds(1));
                    var status = await store.Clients.For(address).StatusAsync(new StatusRequest(), cancellationToken: timeout.Token).ConfigureAwait(false);
                    Lags[member.EndPoint.ToString()!] = Math.Max(0, store.CommitIndex - status.AppliedIndex);
                }
                catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    // An unreachable follower keeps its last known lag; the leader's own view of it is what matters here.
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        stop.Cancel();
        await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        stop.Dispose();
    }
}
