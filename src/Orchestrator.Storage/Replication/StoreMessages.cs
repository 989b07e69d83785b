using Google.Protobuf;
using Orchestrator.Storage.Commands;
using Orchestrator.Storage.Replication.Grpc;
using Orchestrator.Storage.Watch;
using KeyValue = Orchestrator.Storage.State.KeyValue;

namespace Orchestrator.Storage.Replication;

/// <summary>Conversions between storage types and their gRPC messages.</summary>
public static class StoreMessages
{
    public static Grpc.KeyValue ToMessage(KeyValue kv) => new()
    {
        Key = kv.Key,
        Value = ByteString.CopyFrom(kv.Value),
        CreateRevision = kv.CreateRevision,
        ModRevision = kv.ModRevision,
    };

    public static KeyValue FromMessage(Grpc.KeyValue kv) =>
        new(kv.Key, kv.Value.ToByteArray(), kv.CreateRevision, kv.ModRevision);

    public static ProposeResponse ToMessage(CommandResult result)
    {
        var reply = new ProposeResponse { Outcome = (int)result.Outcome, Revision = result.Revision };
        if (result.Current is not null)
            reply.Current = ToMessage(result.Current);
        return reply;
    }

    public static CommandResult ToResult(ProposeResponse reply) =>
        new((CommandOutcome)reply.Outcome, reply.Revision, reply.Current is null ? null : FromMessage(reply.Current));

    public static Grpc.WatchEvent ToMessage(Watch.WatchEvent e)
    {
        var message = new Grpc.WatchEvent
        {
            Revision = e.Revision,
            Type = (int)e.Type,
            Key = e.Key,
            Value = ByteString.CopyFrom(e.Value),
            CreateRevision = e.CreateRevision,
        };
        if (e.PrevValue is not null)
            message.PrevValue = ByteString.CopyFrom(e.PrevValue);
        return message;
    }

    public static Watch.WatchEvent FromMessage(Grpc.WatchEvent e) => new(
        e.Revision, (WatchEventType)e.Type, e.Key, e.Value.ToByteArray(), e.CreateRevision,
        e.PrevValue.IsEmpty ? null : e.PrevValue.ToByteArray());
}
