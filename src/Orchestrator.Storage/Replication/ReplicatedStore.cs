using System.Diagnostics.Metrics;
using System.Net;
using DotNext.Net.Cluster;
using DotNext.Net.Cluster.Consensus.Raft;
using DotNext.Net.Cluster.Consensus.Raft.Membership;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using Microsoft.Extensions.Logging;
using Orchestrator.Storage.Metrics;
using Orchestrator.Storage.State;

namespace Orchestrator.Storage.Replication;

/// <summary>
/// One replica of the replicated store: the Raft node (DotNext, TCP transport, persistent WAL) driving
/// the FASTER state machine. This is the whole public surface of storage: propose commands, read,
/// watch, change membership. Callers never see Raft: a follower forwards proposals to the leader.
/// </summary>
public sealed partial class ReplicatedStore : IAsyncDisposable
{
    public const string GrpcMetadataKey = "grpc";

    private readonly ReplicaOptions options;
    private readonly ILogger logger;
    private readonly StoreMetrics metrics;
    private readonly KvStateMachine stateMachine;
    private readonly WriteAheadLog wal;
    private readonly RaftCluster cluster;
    private readonly LeaderClients leaderClients;
    private readonly QuotaWindows quotas = new(TimeProvider.System);
    private readonly QuotaWindows localQuotas = new(TimeProvider.System);
    private readonly MeterListener walListener;
    private readonly FollowerLagProbe lagProbe;
    private readonly CommitBroadcast commitBroadcast;

    private ReplicatedStore(ReplicaOptions options, ILoggerFactory loggerFactory, StoreMetrics metrics)
    {
        this.options = options;
        this.metrics = metrics;
        logger = loggerFactory.CreateLogger<ReplicatedStore>();
        leaderClients = new LeaderClients(options.PeerTls);
        stateMachine = KvStateMachine.Open(options.StateMachine, loggerFactory.CreateLogger<KvStateMachine>(), metrics);
        wal = new WriteAheadLog(new WriteAheadLog.Options
        {
            Location = Path.Combine(options.StateMachine.DataDirectory, "raft"),
            ChunkSize = options.WalChunkSize,
        }, stateMachine);

        var membership = new EndPointConfigurationStorage();
        if (options.Members.Count > 0)
        {
            var builder = membership.CreateInitialConfigurationBuilder();
            foreach (var member in options.Members)
                builder.Add(member);
            builder.Build();
        }
        var configuration = new RaftCluster.TcpConfiguration(options.RaftEndpoint)
        {
            LowerElectionTimeout = options.LowerElectionTimeoutMs,
            UpperElectionTimeout = options.UpperElectionTimeoutMs,
            RequestTimeout = options.RaftRequestTimeout,
            ColdStart = false,
            TransmissionBlockSize = 64 * 1024,
            MaxReplicationLag = options.MaxReplicationLag,
            LoggerFactory = loggerFactory,
            ConfigurationStorage = membership,
            SslOptions = new DotNext.Net.Security.SslOptions(),
        };
        options.PeerTls.Configure(configuration.SslOptions!.ServerOptions);
        options.PeerTls.Configure(configuration.SslOptions.ClientOptions);
        configuration.Metadata[GrpcMetadataKey] = options.GrpcAddress;
        cluster = new RaftCluster(configuration) { AuditTrail = wal };
        cluster.LeaderChanged += OnLeaderChanged;

        metrics.ObserveConsensus(
            () => cluster.Term,
            () => wal.LastCommittedEntryIndex,
            () => IsLeader ? 1 : 0,
            () => cluster.Leader is null ? 0 : 1,
            FollowerLag);
        walListener = ForwardWalFlushDurations(metrics);
        lagProbe = new FollowerLagProbe(this);
        commitBroadcast = new CommitBroadcast(cluster);
    }

    /// <summary>Opens the data directory, recovers, and starts taking part in the cluster.</summary>
    public static async Task<ReplicatedStore> StartAsync(ReplicaOptions options, ILoggerFactory loggerFactory, StoreMetrics metrics, CancellationToken token)
    {
        var store = new ReplicatedStore(options, loggerFactory, metrics);
        await store.wal.InitializeAsync(token).ConfigureAwait(false);
        await store.cluster.StartAsync(token).ConfigureAwait(false);
        store.lagProbe.Start();
        return store;
    }

    public bool IsLeader => cluster.Leader is { IsRemote: false };

    /// <summary>The last revision applied on this replica.</summary>
    public long Revision => stateMachine.AppliedIndex;

    public string Member => options.RaftEndpoint.ToString();

    internal long CommitIndex => wal.LastCommittedEntryIndex;

    internal LeaderClients Clients => leaderClients;

    internal IEnumerable<RaftClusterMember> RemoteMembers() => cluster.Members.Where(m => m.IsRemote);

    private void OnLeaderChanged(ICluster sender, IClusterMember? leader)
    {
        metrics.LeaderChanged();
        LogLeaderChanged(leader?.EndPoint?.ToString() ?? "none", cluster.Term);
    }

    private IEnumerable<Measurement<long>> FollowerLag()
    {
        if (!IsLeader)
            yield break;
        foreach (var (peer, lag) in lagProbe.Lags)
            yield return new Measurement<long>(lag, new KeyValuePair<string, object?>("peer", peer));
    }

    /// <summary>DotNext measures its own log flushes (milliseconds); re-record them under our metric name.</summary>
    private static MeterListener ForwardWalFlushDurations(StoreMetrics metrics)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == "entries-flush-duration" && instrument.Meter.Name.StartsWith("DotNext", StringComparison.Ordinal))
                    l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<double>((_, ms, _, _) => metrics.RecordFsync(TimeSpan.FromMilliseconds(ms)));
        listener.SetMeasurementEventCallback<long>((_, ms, _, _) => metrics.RecordFsync(TimeSpan.FromMilliseconds(ms)));
        listener.Start();
        return listener;
    }

    public ReplicaStatus GetStatus() => new(
        Member,
        cluster.Leader?.EndPoint?.ToString(),
        IsLeader,
        cluster.Term,
        wal.LastCommittedEntryIndex,
        stateMachine.AppliedIndex,
        stateMachine.Snapshot?.Index ?? 0,
        cluster.Members.Select(m => m.EndPoint.ToString()!).ToList())
    {
        WalFsyncP99Seconds = metrics.RecentFsyncs.Quantile(0.99),
    };

    public async ValueTask DisposeAsync()
    {
        cluster.LeaderChanged -= OnLeaderChanged;
        await lagProbe.DisposeAsync().ConfigureAwait(false);
        try
        {
            await cluster.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            cluster.Dispose();
            await wal.DisposeAsync().ConfigureAwait(false);
            await stateMachine.DisposeAsync().ConfigureAwait(false);
            leaderClients.Dispose();
            walListener.Dispose();
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Leader is now {Leader} (term {Term})")]
    private partial void LogLeaderChanged(string leader, long term);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Proposal {CommandId} retried: {Reason}")]
    private partial void LogProposalRetry(Guid commandId, string reason);
}
