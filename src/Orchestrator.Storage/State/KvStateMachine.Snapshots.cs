using System.Buffers.Binary;
using System.Diagnostics;
using DotNext.IO;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Storage.State;

partial class KvStateMachine
{
    /// <summary>
    /// Checkpoints FASTER at the applied index K, then dumps the live data as snapshot S = K and publishes
    /// it, which lets the WAL truncate its log up to S. Runs inside the apply loop, so the dump is
    /// consistent at S; applies wait meanwhile (measured in the snapshot duration metric).
    /// </summary>
    private async Task TakeSnapshotAsync(CancellationToken token)
    {
        var started = Stopwatch.GetTimestamp();
        var snapshotIndex = appliedIndex;
        var snapshotTerm = appliedTerm;
        if (store.LogSizeBytes > options.CompactAboveBytes)
            store.Compact();
        await CheckpointCoreAsync(token).ConfigureAwait(false);

        var path = SnapshotFile.PathFor(snapshotDirectory, snapshotIndex);
        await SnapshotFile.WriteAsync(path, snapshotIndex, snapshotTerm, store.ScanLive(), token).ConfigureAwait(false);
        Volatile.Write(ref snapshot, new FileSnapshot(path, snapshotIndex, snapshotTerm));
        lastSnapshotIndex = snapshotIndex;
        var elapsed = Stopwatch.GetElapsedTime(started);
        metrics.RecordSnapshot(elapsed);
        LogSnapshotTaken(snapshotIndex, elapsed.TotalMilliseconds);
    }

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

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Installed snapshot at index {Index} (received as entry {EntryIndex})")]
    private partial void LogSnapshotInstalled(long index, long entryIndex);
}
