using System.Buffers.Binary;
using System.Text;

namespace Orchestrator.Storage.State;

/// <summary>
/// A snapshot as a logical stream of live key/values: magic, index(8), term(8), then records of
/// keyLength(4) key valueLength(4) value, ended by a keyLength of -1. It does not depend on FASTER's
/// file format, so replicas with other FASTER settings can exchange it.
/// </summary>
internal static class SnapshotFile
{
    private static ReadOnlySpan<byte> Magic => "ORSNAP01"u8;

    public static string PathFor(string directory, long index) => Path.Combine(directory, $"snapshot-{index:D20}.bin");

    /// <summary>Writes atomically (temp file, fsync, rename).</summary>
    public static async Task WriteAsync(string path, long index, long term, IEnumerable<KeyValuePair<string, byte[]>> records, CancellationToken token)
    {
        var temp = path + ".tmp";
        await using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        {
            var header = new byte[Magic.Length + 16];
            Magic.CopyTo(header);
            BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(Magic.Length), index);
            BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(Magic.Length + 8), term);
            await file.WriteAsync(header, token).ConfigureAwait(false);
            var lengths = new byte[4];
            foreach (var (key, value) in records)
            {
                var keyBytes = Encoding.UTF8.GetBytes(key);
                BinaryPrimitives.WriteInt32LittleEndian(lengths, keyBytes.Length);
                await file.WriteAsync(lengths, token).ConfigureAwait(false);
                await file.WriteAsync(keyBytes, token).ConfigureAwait(false);
                BinaryPrimitives.WriteInt32LittleEndian(lengths, value.Length);
                await file.WriteAsync(lengths, token).ConfigureAwait(false);
                await file.WriteAsync(value, token).ConfigureAwait(false);
            }
            BinaryPrimitives.WriteInt32LittleEndian(lengths, -1);
            await file.WriteAsync(lengths, token).ConfigureAwait(false);
            await file.FlushAsync(token).ConfigureAwait(false);
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    public static (long Index, long Term) ReadHeader(string path)
    {
        using var file = File.OpenRead(path);
        Span<byte> header = stackalloc byte[Magic.Length + 16];
        file.ReadExactly(header);
        if (!header[..Magic.Length].SequenceEqual(Magic))
            throw new InvalidDataException($"{path} is not a snapshot file.");
        return (BinaryPrimitives.ReadInt64LittleEndian(header[Magic.Length..]),
                BinaryPrimitives.ReadInt64LittleEndian(header[(Magic.Length + 8)..]));
    }

    public static IEnumerable<KeyValuePair<string, byte[]>> ReadRecords(string path)
    {
        using var file = new BufferedStream(File.OpenRead(path), 1 << 16);
        var header = new byte[Magic.Length + 16];
        file.ReadExactly(header);
        var lengths = new byte[4];
        while (true)
        {
            file.ReadExactly(lengths);
            var keyLength = BinaryPrimitives.ReadInt32LittleEndian(lengths);
            if (keyLength < 0)
                yield break;
            var key = new byte[keyLength];
            file.ReadExactly(key);
            file.ReadExactly(lengths);
            var value = new byte[BinaryPrimitives.ReadInt32LittleEndian(lengths)];
            file.ReadExactly(value);
            yield return new(Encoding.UTF8.GetString(key), value);
        }
    }

    /// <summary>The newest complete snapshot file in <paramref name="directory"/>, if any.</summary>
    public static string? Latest(string directory) =>
        Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "snapshot-*.bin").Order(StringComparer.Ordinal).LastOrDefault()
            : null;
}
