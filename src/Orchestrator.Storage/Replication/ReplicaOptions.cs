using System.Net;
using Orchestrator.Storage.State;

namespace Orchestrator.Storage.Replication;

/// <summary>Everything one replica needs to join its cluster and open its data.</summary>
public sealed record ReplicaOptions
{
    /// <summary>Where this replica's Raft transport listens; also its identity in the cluster.</summary>
    public required IPEndPoint RaftEndpoint { get; init; }

    /// <summary>The address of this replica's internal gRPC service, advertised to peers for forwarding.</summary>
    public required string GrpcAddress { get; init; }

    /// <summary>Mutual TLS for the Raft transport and for the gRPC calls between replicas (forwarding, quotas, status).</summary>
    public required PeerTls PeerTls { get; init; }

    /// <summary>
    /// The static membership, this replica included. Empty when joining a running cluster: the new
    /// replica then waits to be added through <see cref="ReplicatedStore.AddMemberAsync"/> on the leader.
    /// </summary>
    public IReadOnlyList<IPEndPoint> Members { get; init; } = [];

    public required StateMachineOptions StateMachine { get; init; }

    /// <summary>WAL chunk file size. 4 KiB (the library default) costs about 3x throughput; fixed at creation.</summary>
    public int WalChunkSize { get; init; } = 16 << 20;

    /// <summary>Election timeout range in ms, tuned for a LAN so a new leader comes well under a second.</summary>
    public int LowerElectionTimeoutMs { get; init; } = 150;

    public int UpperElectionTimeoutMs { get; init; } = 300;

    /// <summary>Raft request timeout; a snapshot transfer plus its install must fit in it.</summary>
    public TimeSpan RaftRequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Replication rounds the leader queues for one follower before it leaves that follower out of a round (DotNext's
    /// default, 16). Each queued round ships only the entries that existed when it began, so a follower slowed by a
    /// busy process trails by up to that many of its round trips, and so does every write it forwards (it waits for
    /// its own apply). Fewer queued rounds shorten that, but a round in which a majority is left out ends the leader's
    /// term (DotNext steps down without consensus): at 2, two busy followers on two cores cost leader elections.
    /// </summary>
    public int MaxReplicationLag { get; init; } = 16;

    /// <summary>
    /// Deliberately broken, for the chaos suite only: every read is served from this replica's state as it is, without
    /// a read barrier, so a lagging or just-resumed follower answers with stale data. The checker must catch it.
    /// </summary>
    public bool UnsafeLocalReads { get; init; }

    /// <summary>How long a write or linearizable read waits for a leader before giving up.</summary>
    public TimeSpan LeaderWaitTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
