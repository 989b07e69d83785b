using Grpc.Core;
using Orchestrator.Storage.Replication.Grpc;

namespace Orchestrator.Storage.Replication;

partial class ReplicatedStore
{
    /// <summary>
    /// Every member's own status, asked of each over the internal port (this one's read locally); null for a member
    /// that did not answer within <paramref name="timeout"/>. For views of the whole cluster (the dashboard).
    /// </summary>
    public async Task<IReadOnlyList<(string Member, ReplicaStatus? Status)>> ClusterStatusAsync(TimeSpan timeout, CancellationToken token)
    {
        var asks = cluster.Members.Select(async member =>
        {
            var name = member.EndPoint.ToString()!;
            if (!member.IsRemote)
                return (name, (ReplicaStatus?)GetStatus());
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(token);
            deadline.CancelAfter(timeout);
            try
            {
                var address = await GrpcAddressOfAsync(member, deadline.Token).ConfigureAwait(false);
                if (address is null)
                    return (name, null);
                var reply = await leaderClients.For(address).StatusAsync(new StatusRequest(), cancellationToken: deadline.Token).ConfigureAwait(false);
                return (name, new ReplicaStatus(reply.Member, reply.Leader.Length > 0 ? reply.Leader : null, reply.IsLeader, reply.Term,
                    reply.CommitIndex, reply.AppliedIndex, reply.SnapshotIndex, [.. reply.Members])
                {
                    WalFsyncP99Seconds = reply.WalFsyncP99Seconds,
                });
            }
            catch (Exception e) when (e is RpcException or OperationCanceledException && !token.IsCancellationRequested)
            {
                return (name, null);
            }
        });
        return await Task.WhenAll(asks).ConfigureAwait(false);
    }
}
