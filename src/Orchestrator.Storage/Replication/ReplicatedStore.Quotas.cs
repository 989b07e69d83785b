using Grpc.Core;
using Orchestrator.Storage.Replication.Grpc;

namespace Orchestrator.Storage.Replication;

partial class ReplicatedStore
{
    /// <summary>
    /// Takes one unit of a cluster-wide quota: the leader holds the counters, so requests spread over every replica
    /// share one budget. A follower asks the leader over gRPC; without a reachable leader it counts locally against
    /// its share (limit / members), so a partitioned replica cannot hand out more than its part. A leader change
    /// starts the current window afresh on the new leader.
    /// </summary>
    public async Task<QuotaDecision> TakeQuotaAsync(string key, long limit, TimeSpan window, CancellationToken token)
    {
        var leader = cluster.Leader;
        if (leader is { IsRemote: false })
            return quotas.Take(key, limit, window);
        if (leader is not null && await GrpcAddressOfAsync(leader, token).ConfigureAwait(false) is { } address)
        {
            try
            {
                var reply = await leaderClients.For(address)
                    .TakeQuotaAsync(new QuotaRequest { Key = key, Limit = limit, WindowMs = (long)window.TotalMilliseconds },
                        deadline: DateTime.UtcNow.AddSeconds(1), cancellationToken: token)
                    .ConfigureAwait(false);
                return new QuotaDecision(reply.Granted, reply.Remaining, DateTimeOffset.FromUnixTimeMilliseconds(reply.ResetUnixMs));
            }
            catch (RpcException e) when (e.StatusCode != StatusCode.Cancelled || !token.IsCancellationRequested)
            {
                // Fall through to the local share.
            }
        }
        var members = Math.Max(1, cluster.Members.Count);
        return localQuotas.Take(key, Math.Max(1, limit / members), window);
    }

    /// <summary>The leader's side of <see cref="TakeQuotaAsync"/>; a replica that is not the leader refuses.</summary>
    internal QuotaDecision TakeQuotaAsLeader(string key, long limit, TimeSpan window) =>
        IsLeader ? quotas.Take(key, limit, window) : throw new RpcException(new Status(StatusCode.FailedPrecondition, "not the leader"));
}
