using System.Globalization;
using System.Text;

namespace Orchestrator.Node.Runtime;

/// <summary>What a log request asks for (kubelet's PodLogOptions, minus the container and previous choice).</summary>
public sealed record LogReadOptions
{
    public long? TailLines { get; init; }

    public DateTimeOffset? Since { get; init; }

    public bool Timestamps { get; init; }

    public long? LimitBytes { get; init; }

    public bool Follow { get; init; }

    /// <summary>How often a following reader looks for new lines.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(100);
}

/// <summary>
/// Reads a container's CRI-format log (see <see cref="ContainerLogWriter"/>) as kubelet serves it: partial entries
/// joined into lines, rotated files (.N oldest ... .1, then the live file) read in order, tail counted across them,
/// and when following, new lines copied as they are written (one flush per line) until the container stops.
/// </summary>
public static class ContainerLogReader
{
    private readonly record struct Entry(string Timestamp, DateTimeOffset Time, string Content);

    public static async Task CopyAsync(string logPath, LogReadOptions options, Func<bool> isRunning, Stream output, CancellationToken cancellationToken)
    {
        var budget = options.LimitBytes ?? long.MaxValue;
        var entries = new List<Entry>();
        var pending = new StringBuilder();
        foreach (var rotated in RotatedFiles(logPath))
        {
            foreach (var line in await ReadLinesAsync(rotated, cancellationToken).ConfigureAwait(false))
                Parse(line, pending, entries);
        }
        // The live file stays open, so following continues exactly where the first read stopped.
        var live = OpenOrNull(logPath);
        var carry = new MemoryStream();
        var lines = new List<string>();
        if (live is not null)
        {
            await ReadCompleteLinesAsync(live, carry, lines, cancellationToken).ConfigureAwait(false);
            foreach (var line in lines)
                Parse(line, pending, entries);
        }
        try
        {
            IEnumerable<Entry> selected = entries.Where(e => options.Since is not { } since || e.Time >= since);
            if (options.TailLines is { } tail)
                selected = selected.TakeLast((int)Math.Min(Math.Max(tail, 0), int.MaxValue));
            foreach (var entry in selected)
            {
                if (!await WriteAsync(entry, options, output, ref budget, cancellationToken).ConfigureAwait(false))
                    return;
            }
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (!options.Follow)
                return;
            var fresh = new List<Entry>();
            while (!cancellationToken.IsCancellationRequested)
            {
                var running = isRunning();
                lines.Clear();
                if (live is not null)
                    await ReadCompleteLinesAsync(live, carry, lines, cancellationToken).ConfigureAwait(false);
                if (lines.Count > 0)
                {
                    fresh.Clear();
                    foreach (var line in lines)
                        Parse(line, pending, fresh);
                    foreach (var entry in fresh)
                    {
                        if (!await WriteAsync(entry, options, output, ref budget, cancellationToken).ConfigureAwait(false))
                            return;
                    }
                    continue;
                }
                // Rotated under us: the open handle is now .1 and fully read; continue with the new live file.
                if (File.Exists(logPath) && (live is null || new FileInfo(logPath).Length < live.Position || live.Length != new FileInfo(logPath).Length))
                {
                    live?.Dispose();
                    carry.SetLength(0);
                    live = OpenOrNull(logPath);
                    continue;
                }
                if (!running)
                    return;
                await Task.Delay(options.PollInterval, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            live?.Dispose();
        }
    }

    /// <summary>The rotated files oldest first (path.N ... path.1), without the live file.</summary>
    public static IEnumerable<string> RotatedFiles(string logPath)
    {
        var directory = Path.GetDirectoryName(logPath)!;
        if (!Directory.Exists(directory))
            return [];
        var prefix = Path.GetFileName(logPath) + ".";
        // The pattern also matches the live file itself (Win32 wildcard semantics, kept on Linux): skip it.
        return Directory.EnumerateFiles(directory, prefix + "*")
            .Where(f => Path.GetFileName(f).Length > prefix.Length)
            .Select(f => (File: f, N: int.TryParse(Path.GetFileName(f)[prefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1))
            .Where(x => x.N > 0)
            .OrderByDescending(x => x.N)
            .Select(x => x.File)
            .ToArray();
    }

    private static async Task<string[]> ReadLinesAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllLinesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            return [];
        }
    }

    /// <summary>Reads what the file has now; a trailing line without its newline (the writer is mid-entry) waits in <paramref name="carry"/>.</summary>
    private static async Task ReadCompleteLinesAsync(FileStream file, MemoryStream carry, List<string> lines, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await file.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            var chunk = buffer.AsMemory(0, read);
            int newline;
            while ((newline = chunk.Span.IndexOf((byte)'\n')) >= 0)
            {
                carry.Write(chunk.Span[..newline]);
                lines.Add(Encoding.UTF8.GetString(carry.GetBuffer(), 0, (int)carry.Length));
                carry.SetLength(0);
                chunk = chunk[(newline + 1)..];
            }
            carry.Write(chunk.Span);
        }
    }

    private static FileStream? OpenOrNull(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096, useAsync: true);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>"ts stream P|F content": partial entries accumulate until their full one ends the line.</summary>
    private static void Parse(string line, StringBuilder pending, List<Entry> into)
    {
        var first = line.IndexOf(' ', StringComparison.Ordinal);
        var second = first < 0 ? -1 : line.IndexOf(' ', first + 1);
        if (second < 0 || second + 2 > line.Length)
            return;
        var timestamp = line[..first];
        var partial = line[second + 1] == 'P';
        var content = second + 3 <= line.Length ? line[(second + 3)..] : "";
        pending.Append(content);
        if (partial)
            return;
        var time = DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : DateTimeOffset.MinValue;
        into.Add(new Entry(timestamp, time, pending.ToString()));
        pending.Clear();
    }

    private static ValueTask<bool> WriteAsync(Entry entry, LogReadOptions options, Stream output, ref long budget, CancellationToken cancellationToken)
    {
        var text = options.Timestamps ? $"{entry.Timestamp} {entry.Content}\n" : entry.Content + "\n";
        var bytes = Encoding.UTF8.GetBytes(text);
        if (budget <= 0)
            return ValueTask.FromResult(false);
        var take = (int)Math.Min(bytes.Length, budget);
        budget -= take;
        return WriteAndFlushAsync(output, bytes.AsMemory(0, take), budget > 0, cancellationToken);
    }

    private static async ValueTask<bool> WriteAndFlushAsync(Stream output, ReadOnlyMemory<byte> bytes, bool more, CancellationToken cancellationToken)
    {
        await output.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return more;
    }
}
