using System.Net;
using Orchestrator.Storage.Replication.Grpc;

namespace Orchestrator.Storage.Replication;

partial class ReplicatedStore
{
    /// <summary>Adds a replica (already running, started with no static members) to the cluster. One change at a time.</summary>
    public Task<bool> AddMemberAsync(IPEndPoint raftEndpoint, CancellationToken token) =>
        ChangeMembershipAsync(raftEndpoint, add: true, token);

    /// <summary>Removes a replica from the cluster. One change at a time.</summary>
    public Task<bool> RemoveMemberAsync(IPEndPoint raftEndpoint, CancellationToken token) =>
        ChangeMembershipAsync(raftEndpoint, add: false, token);

    private async Task<bool> ChangeMembershipAsync(IPEndPoint endpoint, bool add, CancellationToken token)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(token);
        deadline.CancelAfter(options.RaftRequestTimeout);
        for (var attempt = 0; ; attempt++)
        {
            if (attempt > 0)
                await Task.Delay(100, deadline.Token).ConfigureAwait(false);
            var leader = cluster.Leader;
            if (leader is null)
                continue;
            if (!leader.IsRemote)
                return add
                    ? await cluster.AddMemberAsync(endpoint, deadline.Token).ConfigureAwait(false)
                    : await cluster.RemoveMemberAsync(endpoint, deadline.Token).ConfigureAwait(false);

            var address = await GrpcAddressOfAsync(leader, deadline.Token).ConfigureAwait(false);
            if (address is null)
                continue;
            var client = leaderClients.For(address);
            var request = new MemberRequest { RaftEndpoint = endpoint.ToString() };
            var reply = add
                ? await client.AddMemberAsync(request, cancellationToken: deadline.Token).ConfigureAwait(false)
                : await client.RemoveMemberAsync(request, cancellationToken: deadline.Token).ConfigureAwait(false);
            return reply.Ok;
        }
    }
}
