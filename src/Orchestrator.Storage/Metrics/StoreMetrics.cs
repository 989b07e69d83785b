using System.Diagnostics.Metrics;

namespace Orchestrator.Storage.Metrics;

/// <summary>
/// Consensus and store instruments. The server exports the "Orchestrator.Storage" meter in Prometheus
/// format; names follow the orchestrator_raft_* / orchestrator_wal_* scheme monitoring relies on.
/// </summary>
public sealed class StoreMetrics : IDisposable
{
    public const string MeterName = "Orchestrator.Storage";

    private readonly Meter meter;
    private readonly Histogram<double> proposalDuration, applyDuration, snapshotDuration, fsyncDuration, forwardDuration, forwardApplyWait;
    private readonly Counter<long> leaderChanges, forwarded, snapshots, proposalFailures;

    /// <summary>Seconds from 0.5 ms to a minute: fsyncs and proposals of a healthy replica sit in the low buckets, alerts look at 100 ms.</summary>
    private static readonly InstrumentAdvice<double> LatencyBuckets = new()
    {
        HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    };

    public StoreMetrics(IMeterFactory? factory = null)
    {
        meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        proposalDuration = meter.CreateHistogram<double>("orchestrator_raft_proposal_duration_seconds", "s", "Time from proposing a command to its result.", tags: null, advice: LatencyBuckets);
        applyDuration = meter.CreateHistogram<double>("orchestrator_raft_apply_duration_seconds", "s", "Time to apply one entry to the state machine.", tags: null, advice: LatencyBuckets);
        snapshotDuration = meter.CreateHistogram<double>("orchestrator_raft_snapshot_duration_seconds", "s", "Time to take or install a snapshot.", tags: null, advice: LatencyBuckets);
        fsyncDuration = meter.CreateHistogram<double>("orchestrator_wal_fsync_duration_seconds", "s", "Time to flush the Raft log to disk.", tags: null, advice: LatencyBuckets);
        forwardDuration = meter.CreateHistogram<double>("orchestrator_raft_forward_duration_seconds", "s", "Time for the leader to commit and apply a forwarded command, as the forwarding replica sees it.", tags: null, advice: LatencyBuckets);
        forwardApplyWait = meter.CreateHistogram<double>("orchestrator_raft_forward_apply_wait_seconds", "s", "Time a forwarding replica then waits to apply the command itself (read-your-writes): how far its apply trails the leader.", tags: null, advice: LatencyBuckets);
        leaderChanges = meter.CreateCounter<long>("orchestrator_raft_leader_changes_total", description: "Leader changes seen by this replica.");
        forwarded = meter.CreateCounter<long>("orchestrator_raft_forwarded_commands_total", description: "Commands this replica forwarded to the leader.");
        snapshots = meter.CreateCounter<long>("orchestrator_raft_snapshots_total", description: "Snapshots taken or installed.");
        proposalFailures = meter.CreateCounter<long>("orchestrator_raft_proposal_failures_total", description: "Proposals that ended without a result: no leader in time, cancelled, or the leader unreachable.");
    }

    public Meter Meter => meter;

    public void RecordProposal(TimeSpan elapsed) => proposalDuration.Record(elapsed.TotalSeconds);

    public void ProposalFailed() => proposalFailures.Add(1);

    public void RecordApply(TimeSpan elapsed) => applyDuration.Record(elapsed.TotalSeconds);

    public void RecordFsync(TimeSpan elapsed)
    {
        fsyncDuration.Record(elapsed.TotalSeconds);
        RecentFsyncs.Record(elapsed);
    }

    /// <summary>The latest WAL flushes, for the p99 a replica reports in its status.</summary>
    public RecentLatencies RecentFsyncs { get; } = new();

    public void RecordSnapshot(TimeSpan elapsed)
    {
        snapshots.Add(1);
        snapshotDuration.Record(elapsed.TotalSeconds);
    }

    public void LeaderChanged() => leaderChanges.Add(1);

    public void Forwarded() => forwarded.Add(1);

    public void RecordForward(TimeSpan leader, TimeSpan applyWait)
    {
        forwardDuration.Record(leader.TotalSeconds);
        forwardApplyWait.Record(applyWait.TotalSeconds);
    }

    public void ObserveAppliedIndex(Func<long> applied) =>
        meter.CreateObservableGauge("orchestrator_raft_applied_index", applied, description: "Last log index applied to the state machine.");

    public void ObserveConsensus(Func<long> term, Func<long> commitIndex, Func<int> isLeader, Func<int> hasLeader,
        Func<IEnumerable<Measurement<long>>> followerLag)
    {
        meter.CreateObservableGauge("orchestrator_raft_term", term, description: "Current Raft term.");
        meter.CreateObservableGauge("orchestrator_raft_commit_index", commitIndex, description: "Last committed log index.");
        meter.CreateObservableGauge("orchestrator_raft_is_leader", isLeader, description: "1 when this replica is the leader.");
        meter.CreateObservableGauge("orchestrator_raft_has_leader", hasLeader, description: "1 when this replica knows a leader.");
        meter.CreateObservableGauge("orchestrator_raft_follower_lag_entries", followerLag, description: "Entries a follower is behind the leader (on the leader).");
    }

    public void Dispose() => meter.Dispose();
}
