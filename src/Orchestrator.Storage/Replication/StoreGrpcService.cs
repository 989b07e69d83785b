using System.Net;
using Grpc.Core;
using Orchestrator.Storage.Commands;
using Orchestrator.Storage.Replication.Grpc;
using Orchestrator.Storage.Watch;

namespace Orchestrator.Storage.Replication;

/// <summary>
/// The internal gRPC service of a replica: forwarded proposals from followers, and the store's own
/// client surface for tools, tests and benchmarks. Storage errors map to gRPC status codes here, once.
/// </summary>
public sealed class StoreGrpcService(ReplicatedStore store) : Store.StoreBase
{
    public override async Task<ProposeResponse> Propose(ProposeRequest request, ServerCallContext context)
    {
        StoreCommand command;
        try
        {
            command = StoreCommand.Decode(request.Command.Span);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or IndexOutOfRangeException)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"undecodable command: {e.Message}"));
        }
        try
        {
            var result = request.Forwarded
                ? await store.ProposeForwardedAsync(command, context.CancellationToken)
                : await store.ProposeAsync(command, context.CancellationToken);
            return StoreMessages.ToMessage(result);
        }
        catch (NoLeaderException e)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, e.Message));
        }
        catch (ArgumentException e)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, e.Message));
        }
    }

    public override Task<QuotaResponse> TakeQuota(QuotaRequest request, ServerCallContext context)
    {
        if (request.Limit < 0 || request.WindowMs <= 0 || request.Key.Length == 0)
            throw new RpcException(new Status(StatusCode.InvalidArgument, "a quota needs a key, a limit >= 0 and a window > 0"));
        var decision = store.TakeQuotaAsLeader(request.Key, request.Limit, TimeSpan.FromMilliseconds(request.WindowMs));
        return Task.FromResult(new QuotaResponse
        {
            Granted = decision.Granted,
            Remaining = decision.Remaining,
            ResetUnixMs = decision.Reset.ToUnixTimeMilliseconds(),
        });
    }

    public override async Task<ReadIndexResponse> ReadIndex(ReadIndexRequest request, ServerCallContext context)
    {
        try
        {
            return new ReadIndexResponse { Index = await store.ReadIndexAsLeaderAsync(context.CancellationToken) };
        }
        catch (Exception e) when (e is DotNext.Net.Cluster.Consensus.Raft.NotLeaderException or DotNext.Net.Cluster.Consensus.Raft.QuorumUnreachableException
                                   or InvalidOperationException or DotNext.Net.Cluster.MemberUnavailableException)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, "not the leader"));
        }
    }

    public override async Task<GetResponse> Get(GetRequest request, ServerCallContext context)
    {
        var (value, revision) = await Guard(() => store.GetAsync(request.Key, request.Local, context.CancellationToken));
        var reply = new GetResponse { Revision = revision };
        if (value is not null)
            reply.Kv = StoreMessages.ToMessage(value);
        return reply;
    }

    public override async Task<ListResponse> List(ListRequest request, ServerCallContext context)
    {
        var page = await Guard(() => store.ListAsync(request.Prefix,
            string.IsNullOrEmpty(request.StartAfter) ? null : request.StartAfter, request.Limit, request.Local, context.CancellationToken));
        var reply = new ListResponse { Revision = page.Revision, More = page.More };
        reply.Items.AddRange(page.Items.Select(StoreMessages.ToMessage));
        return reply;
    }

    public override async Task Watch(WatchRequest request, IServerStreamWriter<WatchResponse> responseStream, ServerCallContext context)
    {
        var interval = TimeSpan.FromMilliseconds(request.ProgressIntervalMs > 0 ? request.ProgressIntervalMs : 5000);
        try
        {
            await foreach (var batch in store.WatchAsync(request.Prefix, request.AfterRevision, interval, context.CancellationToken))
            {
                var reply = new WatchResponse { ProgressRevision = batch.ProgressRevision };
                reply.Events.AddRange(batch.Events.Select(StoreMessages.ToMessage));
                await responseStream.WriteAsync(reply, context.CancellationToken);
            }
        }
        catch (RevisionExpiredException e)
        {
            await responseStream.WriteAsync(new WatchResponse { Expired = true, OldestRevision = e.OldestAvailable });
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
        }
    }

    public override Task<StatusResponse> Status(StatusRequest request, ServerCallContext context)
    {
        var status = store.GetStatus();
        var reply = new StatusResponse
        {
            Member = status.Member,
            Leader = status.Leader ?? "",
            Term = status.Term,
            CommitIndex = status.CommitIndex,
            AppliedIndex = status.AppliedIndex,
            IsLeader = status.IsLeader,
            SnapshotIndex = status.SnapshotIndex,
            WalFsyncP99Seconds = status.WalFsyncP99Seconds,
        };
        reply.Members.AddRange(status.Members);
        return Task.FromResult(reply);
    }

    public override async Task<MemberResponse> AddMember(MemberRequest request, ServerCallContext context) =>
        new() { Ok = await store.AddMemberAsync(ParseEndpoint(request.RaftEndpoint), context.CancellationToken) };

    public override async Task<MemberResponse> RemoveMember(MemberRequest request, ServerCallContext context) =>
        new() { Ok = await store.RemoveMemberAsync(ParseEndpoint(request.RaftEndpoint), context.CancellationToken) };

    private static IPEndPoint ParseEndpoint(string text) =>
        IPEndPoint.TryParse(text, out var endpoint) && endpoint.Port > 0
            ? endpoint
            : throw new RpcException(new Status(StatusCode.InvalidArgument, $"not an IP endpoint: '{text}'"));

    private static async Task<T> Guard<T>(Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (NoLeaderException e)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, e.Message));
        }
    }
}
