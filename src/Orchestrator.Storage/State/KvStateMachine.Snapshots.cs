using System.Buffers.Binary;
using System.Diagnostics;
using DotNext.IO;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Storage.State;

partial class KvStateMachine
{
    /// <summary>
    /// Checkpoints FASTER at the applied index K, then dumps the live data as snapshot S = K and publishes it, which
    /// lets the WAL truncate its log up to S. Only the checkpoint runs inside the apply loop (applies wait for it); the
    /// dump runs beside later applies: a fold-over checkpoint makes every record below the log's tail read-only, so a
    /// scan up to that address sees the state at S however far applies have moved on. Dumping inside the loop had
    /// stalled every replica at once (they snapshot at the same index) for ~1.5 s per 50k entries under load.
    /// </summary>
    private async Task TakeSnapshotAsync(CancellationToken token)
    {
        var started = Stopwatch.GetTimestamp();
        var snapshotIndex = appliedIndex;
        var snapshotTerm = appliedTerm;
        // A compaction moves the log's start, which the previous dump may still be reading.
        await SettleDumpAsync().ConfigureAwait(false);
        if (store.LogSizeBytes > options.CompactAboveBytes)
            store.Compact();
        await CheckpointCoreAsync(token).ConfigureAwait(false);
        var until = store.TailAddress;
        lastSnapshotIndex = snapshotIndex;
        LogCheckpointTaken(snapshotIndex, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        pendingDump = Task.Run(() => DumpAsync(snapshotIndex, snapshotTerm, until, started, dumpStop.Token), CancellationToken.None);
    }

    private async Task DumpAsync(long snapshotIndex, long snapshotTerm, long untilAddress, long started, CancellationToken token)
    {
        try
        {
            var path = SnapshotFile.PathFor(snapshotDirectory, snapshotIndex);
            await SnapshotFile.WriteAsync(path, snapshotIndex, snapshotTerm, store.ScanLive(untilAddress), token).ConfigureAwait(false);
            Volatile.Write(ref snapshot, new FileSnapshot(path, snapshotIndex, snapshotTerm));
            var elapsed = Stopwatch.GetElapsedTime(started);
            metrics.RecordSnapshot(elapsed);
            LogSnapshotTaken(snapshotIndex, elapsed.TotalMilliseconds);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // The previous snapshot stays published; the next one is tried after SnapshotEvery more entries.
            LogSnapshotFailed(e, snapshotIndex);
        }
    }

    /// <summary>Waits for a dump still running (it never throws: failures are logged).</summary>
    private Task SettleDumpAsync() => pendingDump ?? Task.CompletedTask;

    /// <summary>Writes the state that lives beside FASTER (dedup ids, applied index) into it and checkpoints.</summary>
    private async Task CheckpointCoreAsync(CancellationToken token)
    {
        dedup.FlushTo(store);
        var applied = new byte[16];
        BinaryPrimitives.WriteInt64LittleEndian(applied, appliedIndex);
        BinaryPrimitives.WriteInt64LittleEndian(applied.AsSpan(8), appliedTerm);
        store.Upsert(SystemKeys.AppliedIndex, applied);
        await store.CheckpointAsync(token).ConfigureAwait(false);
    }

    /// <summary>
    /// A snapshot from the leader (this replica was too far behind, or its data was wiped): land the
    /// stream in a file first, then replace the whole store with it.
    /// </summary>
    private async ValueTask<long> InstallSnapshotAsync(LogEntry entry, CancellationToken token)
    {
        var started = Stopwatch.GetTimestamp();
        await SettleDumpAsync().ConfigureAwait(false); // the store it reads is about to be replaced
        var incoming = Path.Combine(snapshotDirectory, "incoming.tmp");
        await using (var file = new FileStream(incoming, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        {
            await entry.WriteToAsync(file, new byte[1 << 16], token).ConfigureAwait(false);
            await file.FlushAsync(token).ConfigureAwait(false);
            file.Flush(flushToDisk: true);
        }
        var (snapshotIndex, snapshotTerm) = SnapshotFile.ReadHeader(incoming);
        var path = SnapshotFile.PathFor(snapshotDirectory, snapshotIndex);
        File.Move(incoming, path, overwrite: true);

        rwLock.EnterWriteLock();
        try
        {
            ReplaceStoreWith(path, snapshotIndex, snapshotTerm);
        }
        finally
        {
            rwLock.ExitWriteLock();
        }
        await CheckpointCoreAsync(token).ConfigureAwait(false);
        Volatile.Write(ref snapshot, new FileSnapshot(path, snapshotIndex, snapshotTerm));
        lastSnapshotIndex = snapshotIndex;
        Events.Reset(snapshotIndex);
        metrics.RecordSnapshot(Stopwatch.GetElapsedTime(started));
        LogSnapshotInstalled(snapshotIndex, entry.Index);
        return snapshotIndex;
    }

    ValueTask ISnapshotManager.ReclaimGarbageAsync(long watermark, CancellationToken token)
    {
        foreach (var file in Directory.EnumerateFiles(snapshotDirectory, "snapshot-*.bin"))
        {
            var (fileIndex, _) = SnapshotFile.ReadHeader(file);
            if (fileIndex < watermark)
                File.Delete(file);
        }
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Snapshot at index {Index} taken in {Milliseconds:F1} ms")]
    private partial void LogSnapshotTaken(long index, double milliseconds);

    [LoggerMessage(EventId = 103, Level = LogLevel.Debug, Message = "Checkpoint for snapshot {Index} taken in {Milliseconds:F1} ms; dumping beside the applies")]
    private partial void LogCheckpointTaken(long index, double milliseconds);

    [LoggerMessage(EventId = 104, Level = LogLevel.Error, Message = "Snapshot at index {Index} could not be written")]
    private partial void LogSnapshotFailed(Exception error, long index);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Installed snapshot at index {Index} (received as entry {EntryIndex})")]
    private partial void LogSnapshotInstalled(long index, long entryIndex);
}
