using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using Microsoft.Extensions.Logging;
using Orchestrator.Storage.Commands;
using Orchestrator.Storage.Metrics;
using Orchestrator.Storage.Watch;

namespace Orchestrator.Storage.State;

/// <summary>
/// The replicated key-value state machine: applies committed commands in log order to FASTER,
/// decides their outcome deterministically (no clock, no I/O besides the store), keeps the ordered key
/// index and the watch window, and makes and installs snapshots.
/// Applies are sequential (the WAL never calls <see cref="ApplyAsync"/> concurrently); reads run in
/// parallel with each other and are kept out of an apply by a reader/writer lock, so a list sees one
/// revision.
/// </summary>
public sealed partial class KvStateMachine : IStateMachine, IAsyncDisposable
{
    private readonly StateMachineOptions options;
    private readonly ILogger logger;
    private readonly StoreMetrics metrics;
    private readonly ReaderWriterLockSlim rwLock = new(LockRecursionPolicy.NoRecursion);
    private readonly KeyIndex index = new();
    private readonly DedupTable dedup;
    private readonly CancellationTokenSource dumpStop = new();
    private Task? pendingDump;
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<CommandResult>> waiters = new();
    private readonly string fasterDirectory, snapshotDirectory;
    private FasterKvStore store;
    private FileSnapshot? snapshot;
    private long appliedIndex, appliedTerm, lastSnapshotIndex;

    private KvStateMachine(StateMachineOptions options, ILogger logger, StoreMetrics metrics)
    {
        this.options = options;
        this.logger = logger;
        this.metrics = metrics;
        dedup = new DedupTable(options.DedupRetainEntries);
        fasterDirectory = Path.Combine(options.DataDirectory, "faster");
        snapshotDirectory = Path.Combine(options.DataDirectory, "snapshots");
        Directory.CreateDirectory(snapshotDirectory);
        store = FasterKvStore.Open(fasterDirectory, options.Faster);
        LoadFromStore();
        var latest = SnapshotFile.Latest(snapshotDirectory);
        if (latest is not null)
        {
            var (snapshotIndex, snapshotTerm) = SnapshotFile.ReadHeader(latest);
            // The store is checkpointed at an index >= every snapshot published, so the WAL may skip up to it. A
            // store behind its snapshot (a crash between a snapshot install's publish and its checkpoint, or a lost
            // checkpoint) is rebuilt from the snapshot file: the WAL replays from the snapshot index on.
            if (snapshotIndex > appliedIndex)
                RebuildFromSnapshot(latest, snapshotIndex, snapshotTerm);
            snapshot = new FileSnapshot(latest, snapshotIndex, snapshotTerm);
            lastSnapshotIndex = snapshotIndex;
        }
        Events = new EventWindow(options.Watch, options.Clock, appliedIndex);
        metrics.ObserveAppliedIndex(() => Volatile.Read(ref appliedIndex));
    }

    /// <summary>Recovers from the data directory. Build the WAL only after this: its constructor reads <see cref="Snapshot"/>.</summary>
    public static KvStateMachine Open(StateMachineOptions options, ILogger logger, StoreMetrics metrics) => new(options, logger, metrics);

    public EventWindow Events { get; }

    public long AppliedIndex => Volatile.Read(ref appliedIndex);

    public ISnapshot? Snapshot => Volatile.Read(ref snapshot);

    /// <summary>Registers interest in the result of a command this replica is about to propose.</summary>
    public Task<CommandResult> ExpectResult(Guid commandId) =>
        waiters.GetOrAdd(commandId, static _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void ForgetResult(Guid commandId) => waiters.TryRemove(commandId, out _);

    private void LoadFromStore()
    {
        index.Clear();
        dedup.Clear();
        appliedIndex = appliedTerm = 0;
        foreach (var (key, value) in store.ScanLive())
            LoadRecord(key, value);
        dedup.Sort();
    }

    private void RebuildFromSnapshot(string path, long snapshotIndex, long snapshotTerm)
    {
        logger.LogWarning("The store recovered at index {Applied}, behind snapshot {Snapshot}: rebuilding it from the snapshot file",
            appliedIndex, snapshotIndex);
        ReplaceStoreWith(path, snapshotIndex, snapshotTerm);
    }

    /// <summary>Replaces the whole store with a snapshot file's records (callers keep readers out).</summary>
    private void ReplaceStoreWith(string path, long snapshotIndex, long snapshotTerm)
    {
        store.Dispose();
        FasterKvStore.Destroy(fasterDirectory);
        store = FasterKvStore.Open(fasterDirectory, options.Faster);
        index.Clear();
        dedup.Clear();
        foreach (var (key, value) in SnapshotFile.ReadRecords(path))
        {
            store.Upsert(key, value);
            LoadRecord(key, value);
        }
        dedup.Sort();
        Volatile.Write(ref appliedIndex, snapshotIndex);
        appliedTerm = snapshotTerm;
    }

    private void LoadRecord(string key, byte[] value)
    {
        if (SystemKeys.IsUserKey(key))
            index.Add(key);
        else if (key.StartsWith(SystemKeys.DedupPrefix, StringComparison.Ordinal))
            dedup.Load(key, value);
        else if (key == SystemKeys.AppliedIndex)
        {
            appliedIndex = BinaryPrimitives.ReadInt64LittleEndian(value);
            appliedTerm = BinaryPrimitives.ReadInt64LittleEndian(value.AsSpan(8));
        }
    }

    async ValueTask<long> IStateMachine.ApplyAsync(LogEntry entry, CancellationToken token)
    {
        // Replay after a restart: the store already holds everything up to its checkpoint.
        if (entry.Index <= appliedIndex)
            return appliedIndex;

        if (entry.IsSnapshot)
            return await InstallSnapshotAsync(entry, token).ConfigureAwait(false);

        var started = Stopwatch.GetTimestamp();
        WatchEvent? watchEvent = null;
        if (!entry.IsConfiguration && entry.TryGetPayload(out var payload) && !payload.IsEmpty)
        {
            var command = StoreCommand.Decode(payload);
            CommandResult result;
            rwLock.EnterWriteLock();
            try
            {
                result = Apply(command, entry.Index, out watchEvent);
                Volatile.Write(ref appliedIndex, entry.Index);
                appliedTerm = entry.Term;
            }
            finally
            {
                rwLock.ExitWriteLock();
            }
            if (waiters.TryRemove(command.Id, out var waiter))
                waiter.TrySetResult(result);
            metrics.RecordApply(Stopwatch.GetElapsedTime(started));
        }
        else
        {
            Volatile.Write(ref appliedIndex, entry.Index);
            appliedTerm = entry.Term;
        }
        Events.Append(entry.Index, watchEvent);

        if (entry.Index - lastSnapshotIndex >= options.SnapshotEvery)
            await TakeSnapshotAsync(token).ConfigureAwait(false);
        return entry.Index;
    }

    /// <summary>The deterministic core: the outcome depends only on the command and the current state.</summary>
    private CommandResult Apply(StoreCommand command, long revision, out WatchEvent? watchEvent)
    {
        watchEvent = null;
        if (dedup.TryGet(command.Id, out var seen))
            return new CommandResult(seen.Outcome, seen.Index, null);

        var existingBytes = store.ReadForWrite(command.Key);
        var existing = existingBytes is null ? null : RecordCodec.Decode(command.Key, existingBytes);
        CommandResult result;
        switch (command.Type)
        {
            case CommandType.Create when existing is not null:
                result = new(CommandOutcome.AlreadyExists, revision, existing);
                break;
            case CommandType.Create:
                {
                    var stored = new KeyValue(command.Key, command.Value.ToArray(), revision, revision);
                    store.Upsert(command.Key, RecordCodec.Encode(revision, revision, command.Value.Span));
                    index.Add(command.Key);
                    watchEvent = new(revision, WatchEventType.Put, command.Key, stored.Value, revision, null);
                    result = new(CommandOutcome.Ok, revision, stored);
                    break;
                }
            case CommandType.Update or CommandType.Delete when existing is null:
                result = new(CommandOutcome.NotFound, revision, null);
                break;
            case CommandType.Update or CommandType.Delete when command.ExpectedRevision != 0 && command.ExpectedRevision != existing!.ModRevision:
                result = new(CommandOutcome.Conflict, revision, existing);
                break;
            case CommandType.Update:
                {
                    var stored = new KeyValue(command.Key, command.Value.ToArray(), existing!.CreateRevision, revision);
                    store.Upsert(command.Key, RecordCodec.Encode(existing.CreateRevision, revision, command.Value.Span));
                    watchEvent = new(revision, WatchEventType.Put, command.Key, stored.Value, existing.CreateRevision, existing.Value);
                    result = new(CommandOutcome.Ok, revision, stored);
                    break;
                }
            case CommandType.Delete:
                store.Delete(command.Key);
                index.Remove(command.Key);
                watchEvent = new(revision, WatchEventType.Delete, command.Key, existing!.Value, existing.CreateRevision, existing.Value);
                result = new(CommandOutcome.Ok, revision, existing);
                break;
            default:
                throw new InvalidDataException($"Unknown command type {(byte)command.Type} at index {revision}.");
        }
        dedup.Add(command.Id, revision, result.Outcome);
        return result;
    }

    /// <summary>Reads one key from local state, with the revision the read saw.</summary>
    public (KeyValue? Value, long Revision) Get(string key)
    {
        rwLock.EnterReadLock();
        try
        {
            var bytes = store.Read(key);
            return (bytes is null ? null : RecordCodec.Decode(key, bytes), AppliedIndex);
        }
        finally
        {
            rwLock.ExitReadLock();
        }
    }

    /// <summary>
    /// Lists keys under <paramref name="prefix"/> strictly after <paramref name="startAfter"/>, at most
    /// <paramref name="limit"/> (0 = all), all as of one revision, which is returned.
    /// </summary>
    public ListPage List(string prefix, string? startAfter, int limit)
    {
        rwLock.EnterReadLock();
        try
        {
            var items = new List<KeyValue>();
            var more = false;
            foreach (var key in index.Range(prefix, startAfter))
            {
                if (limit > 0 && items.Count == limit)
                {
                    more = true;
                    break;
                }
                var bytes = store.Read(key);
                if (bytes is not null)
                    items.Add(RecordCodec.Decode(key, bytes));
            }
            return new ListPage(items, AppliedIndex, more);
        }
        finally
        {
            rwLock.ExitReadLock();
        }
    }

    public async ValueTask DisposeAsync()
    {
        // A snapshot dump may still be reading the store.
        dumpStop.Cancel();
        await SettleDumpAsync().ConfigureAwait(false);
        dumpStop.Dispose();
        store.Dispose();
        rwLock.Dispose();
        foreach (var waiter in waiters.Values)
            waiter.TrySetCanceled();
    }
}
