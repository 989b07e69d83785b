using System.Diagnostics;
using DotNext.Net.Cluster.Consensus.Raft;
using Google.Protobuf;
using Grpc.Core;
using Orchestrator.Storage.Commands;
using Orchestrator.Storage.Replication.Grpc;
using Orchestrator.Storage.State;

namespace Orchestrator.Storage.Replication;

partial class ReplicatedStore
{
    /// <summary>
    /// Proposes a command and returns its outcome once this replica has applied it (read-your-writes).
    /// On a follower the command goes to the leader over gRPC. During an election it waits, bounded by
    /// <see cref="ReplicaOptions.LeaderWaitTimeout"/>, then throws <see cref="NoLeaderException"/>.
    /// Retrying is safe: the command id makes it apply at most once.
    /// </summary>
    public async Task<CommandResult> ProposeAsync(StoreCommand command, CancellationToken token)
    {
        if (!SystemKeys.IsUserKey(command.Key))
            throw new ArgumentException($"Keys must start with '/': {command.Key}", nameof(command));
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await ProposeCoreAsync(command, allowForward: true, token).ConfigureAwait(false);
            metrics.RecordProposal(Stopwatch.GetElapsedTime(started));
            return result;
        }
        catch (Exception) when (!token.IsCancellationRequested)
        {
            metrics.ProposalFailed();
            throw;
        }
    }

    /// <summary>Handles a proposal forwarded by a follower: only the leader takes it, nobody forwards twice.</summary>
    internal Task<CommandResult> ProposeForwardedAsync(StoreCommand command, CancellationToken token) =>
        ProposeCoreAsync(command, allowForward: false, token);

    private async Task<CommandResult> ProposeCoreAsync(StoreCommand command, bool allowForward, CancellationToken token)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(token);
        deadline.CancelAfter(options.LeaderWaitTimeout);
        var payload = command.Encode();
        var attempt = 0;
        try
        {
            while (true)
            {
                if (attempt++ > 0)
                    await Task.Delay(Math.Min(10 * attempt, 100), deadline.Token).ConfigureAwait(false);

                var leader = cluster.Leader;
                if (leader is null)
                    continue;
                if (!leader.IsRemote)
                {
                    var pending = stateMachine.ExpectResult(command.Id);
                    try
                    {
                        await cluster.ReplicateAsync(payload, null, deadline.Token).ConfigureAwait(false);
                        var result = await pending.WaitAsync(deadline.Token).ConfigureAwait(false);
                        // Followers learn the commit from the next AppendEntries; send it now, so their watchers and
                        // the follower that forwarded this write (it waits for its own apply) need not wait for a heartbeat.
                        commitBroadcast.Request();
                        return result;
                    }
                    catch (Exception e) when (e is NotLeaderException or InvalidOperationException or DotNext.Net.Cluster.MemberUnavailableException && !deadline.IsCancellationRequested)
                    {
                        LogProposalRetry(command.Id, e.GetType().Name);
                    }
                    finally
                    {
                        stateMachine.ForgetResult(command.Id);
                    }
                    continue;
                }
                if (!allowForward)
                    throw new RpcException(new Status(StatusCode.FailedPrecondition, "not the leader"));

                var address = await GrpcAddressOfAsync(leader, deadline.Token).ConfigureAwait(false);
                if (address is null)
                    continue;
                try
                {
                    metrics.Forwarded();
                    var sent = Stopwatch.GetTimestamp();
                    var reply = await leaderClients.For(address)
                        .ProposeAsync(new ProposeRequest { Command = ByteString.CopyFrom(payload), Forwarded = true }, cancellationToken: deadline.Token)
                        .ConfigureAwait(false);
                    var answered = Stopwatch.GetTimestamp();
                    await stateMachine.Events.WaitForRevisionAsync(reply.Revision, deadline.Token).ConfigureAwait(false);
                    metrics.RecordForward(Stopwatch.GetElapsedTime(sent, answered), Stopwatch.GetElapsedTime(answered));
                    return StoreMessages.ToResult(reply);
                }
                catch (RpcException e) when (!deadline.IsCancellationRequested)
                {
                    LogProposalRetry(command.Id, $"forward to {address}: {e.StatusCode}");
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled)
                {
                    // gRPC reports our own cancellation (the caller went away, or the leader wait ran out) as an
                    // RpcException: surface it as the cancellation it is.
                    throw new OperationCanceledException(e.Status.Detail, e, deadline.Token);
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !token.IsCancellationRequested)
        {
            throw new NoLeaderException($"No leader committed the write within {options.LeaderWaitTimeout.TotalSeconds:F0}s.");
        }
    }

    internal static async ValueTask<string?> GrpcAddressOfAsync(RaftClusterMember member, CancellationToken token)
    {
        try
        {
            var metadata = await member.GetMetadataAsync(refresh: false, token).ConfigureAwait(false);
            return metadata.TryGetValue(GrpcMetadataKey, out var address) ? address : null;
        }
        catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
        {
            // DotNext times out its own metadata request when the member is unreachable: try again later.
            return null;
        }
    }
}
