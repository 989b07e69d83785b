using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using FASTER.core;

namespace Orchestrator.Storage.State;

using Session = ClientSession<SpanByte, SpanByte, SpanByte, SpanByteAndMemory, Empty, SpanByteFunctions<Empty>>;

/// <summary>
/// Byte keys to byte values on FASTER. Not thread-safe for writers: one caller (the apply loop) writes
/// through <see cref="Upsert"/>/<see cref="Delete"/>; any number of callers may read at once, each read
/// taking a pooled session (FASTER sessions are single-threaded).
/// </summary>
public sealed class FasterKvStore : IDisposable
{
    private const string LayoutFile = "layout.json";

    private readonly FasterKV<SpanByte, SpanByte> store;
    private readonly IDevice device;
    private readonly Session writer;
    private readonly ConcurrentBag<Session> readers = new();

    private FasterKvStore(FasterKV<SpanByte, SpanByte> store, IDevice device)
    {
        this.store = store;
        this.device = device;
        writer = NewSession();
    }

    public long LogSizeBytes => store.Log.TailAddress - store.Log.BeginAddress;

    /// <summary>Opens the store in <paramref name="directory"/>, recovering the latest checkpoint if one exists.</summary>
    public static FasterKvStore Open(string directory, FasterOptions options)
    {
        Directory.CreateDirectory(directory);
        CheckLayout(directory, options);
        var device = Devices.CreateLogDevice(Path.Combine(directory, "hlog.log"), preallocateFile: false, deleteOnClose: false);
        var checkpointDir = Path.Combine(directory, "checkpoints");
        var settings = new FasterKVSettings<SpanByte, SpanByte>(null)
        {
            IndexSize = options.IndexSizeBytes,
            LogDevice = device,
            ObjectLogDevice = new NullDevice(),
            PageSize = 1L << options.PageSizeBits,
            SegmentSize = 1L << options.SegmentSizeBits,
            MemorySize = 1L << options.MemorySizeBits,
            CheckpointDir = checkpointDir,
            RemoveOutdatedCheckpoints = true,
        };
        var store = new FasterKV<SpanByte, SpanByte>(settings);
        if (Directory.Exists(checkpointDir) && Directory.EnumerateFileSystemEntries(checkpointDir).Any())
            store.Recover();
        return new FasterKvStore(store, device);
    }

    /// <summary>Deletes everything FASTER keeps in <paramref name="directory"/>.</summary>
    public static void Destroy(string directory)
    {
        if (Directory.Exists(directory))
            Directory.Delete(directory, recursive: true);
    }

    private static void CheckLayout(string directory, FasterOptions options)
    {
        var path = Path.Combine(directory, LayoutFile);
        var wanted = new StoreLayout(options.PageSizeBits, options.SegmentSizeBits);
        if (File.Exists(path))
        {
            var existing = JsonSerializer.Deserialize<StoreLayout>(File.ReadAllText(path));
            if (existing != wanted)
                throw new InvalidOperationException(
                    $"FASTER data in {directory} was written with page bits {existing?.PageSizeBits}, segment bits {existing?.SegmentSizeBits}; " +
                    $"refusing to open it with {wanted.PageSizeBits}/{wanted.SegmentSizeBits}.");
            return;
        }
        File.WriteAllText(path, JsonSerializer.Serialize(wanted));
    }

    private Session NewSession() => store.For(new SpanByteFunctions<Empty>()).NewSession<SpanByteFunctions<Empty>>();

    /// <summary>Reads with the writer's session; only the writer may call this.</summary>
    public byte[]? ReadForWrite(string key) => Read(writer, key);

    /// <summary>Reads with a pooled session; safe from any thread.</summary>
    public byte[]? Read(string key)
    {
        if (!readers.TryTake(out var session))
            session = NewSession();
        try
        {
            return Read(session, key);
        }
        finally
        {
            readers.Add(session);
        }
    }

    private static unsafe byte[]? Read(Session session, string key)
    {
        var keyBytes = Encoding.UTF8.GetBytes(key);
        fixed (byte* k = keyBytes)
        {
            var spanKey = SpanByte.FromPointer(k, keyBytes.Length);
            var output = default(SpanByteAndMemory);
            var status = session.Read(ref spanKey, ref output);
            if (status.IsPending)
            {
                session.CompletePendingWithOutputs(out var completed, wait: true);
                using (completed)
                {
                    if (!completed.Next())
                        return null;
                    status = completed.Current.Status;
                    output = completed.Current.Output;
                }
            }
            if (!status.Found)
            {
                output.Memory?.Dispose();
                return null;
            }
            return TakeBytes(ref output);
        }
    }

    private static byte[] TakeBytes(ref SpanByteAndMemory output)
    {
        if (output.IsSpanByte)
            return output.SpanByte.AsReadOnlySpan().ToArray();
        using var memory = output.Memory;
        return memory.Memory.Span[..output.Length].ToArray();
    }

    public unsafe void Upsert(string key, ReadOnlySpan<byte> value)
    {
        var keyBytes = Encoding.UTF8.GetBytes(key);
        fixed (byte* k = keyBytes)
        fixed (byte* v = value)
        {
            var spanKey = SpanByte.FromPointer(k, keyBytes.Length);
            var spanValue = SpanByte.FromPointer(v, value.Length);
            var status = writer.Upsert(ref spanKey, ref spanValue);
            if (status.IsPending)
                writer.CompletePending(wait: true);
        }
    }

    public unsafe void Delete(string key)
    {
        var keyBytes = Encoding.UTF8.GetBytes(key);
        fixed (byte* k = keyBytes)
        {
            var spanKey = SpanByte.FromPointer(k, keyBytes.Length);
            var status = writer.Delete(ref spanKey);
            if (status.IsPending)
                writer.CompletePending(wait: true);
        }
    }

    /// <summary>
    /// Durable checkpoint of everything written so far (index and log, fold-over). Called by the writer
    /// between two writes, so the checkpoint holds exactly the writes made before it.
    /// </summary>
    public async Task CheckpointAsync(CancellationToken token)
    {
        var (success, _) = await store.TakeFullCheckpointAsync(CheckpointType.FoldOver, token).ConfigureAwait(false);
        if (!success)
            throw new InvalidOperationException("FASTER refused the checkpoint (another one in progress).");
        await store.CompleteCheckpointAsync(token).ConfigureAwait(false);
    }

    /// <summary>
    /// Moves live records off the oldest part of the log and truncates it, so disk use follows the live data.
    /// Only the writer may call this.
    /// </summary>
    public void Compact()
    {
        var until = store.Log.SafeReadOnlyAddress;
        if (until <= store.Log.BeginAddress)
            return;
        var compactedUntil = writer.Compact(until, CompactionType.Scan);
        store.Log.ShiftBeginAddress(compactedUntil, truncateLog: true);
    }

    /// <summary>The log's current end; after a fold-over checkpoint every record below it is read-only.</summary>
    public long TailAddress => store.Log.TailAddress;

    /// <summary>
    /// Every live key with its value, from a scan of the log up to <paramref name="untilAddress"/> (default: its end)
    /// where the latest record of a key wins (FASTER's session iterator can return phantom keys; a log scan does not).
    /// </summary>
    public Dictionary<string, byte[]> ScanLive(long? untilAddress = null)
    {
        var latest = new Dictionary<string, byte[]?>(StringComparer.Ordinal);
        using var iterator = store.Log.Scan(store.Log.BeginAddress, untilAddress ?? store.Log.TailAddress);
        while (iterator.GetNext(out var info))
        {
            var key = Encoding.UTF8.GetString(iterator.GetKey().AsReadOnlySpan());
            latest[key] = info.Tombstone ? null : iterator.GetValue().AsReadOnlySpan().ToArray();
        }
        var live = new Dictionary<string, byte[]>(latest.Count, StringComparer.Ordinal);
        foreach (var (key, value) in latest)
        {
            if (value is not null)
                live[key] = value;
        }
        return live;
    }

    public void Dispose()
    {
        writer.Dispose();
        while (readers.TryTake(out var session))
            session.Dispose();
        store.Dispose();
        device.Dispose();
    }

    private sealed record StoreLayout(int PageSizeBits, int SegmentSizeBits);
}
