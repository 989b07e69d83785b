using System.Buffers;
using System.Globalization;
using System.Text;

namespace Orchestrator.Node.Runtime;

/// <summary>
/// Writes a container's stdout and stderr into one file in the Kubernetes CRI log format
/// ("2024-01-01T00:00:00.000000000Z stdout F line"), one entry per line; a line longer than
/// <see cref="MaxLineBytes"/> is split into partial ("P") entries ending in a full ("F") one, as containerd
/// does. When the file passes the size limit it is rotated to .1, .2, ... keeping <c>maxFiles</c> in all.
/// Rotation happens here, in the writer, because the agent owns the only writer of the file (kubelet
/// rotates from outside and asks the runtime to reopen; there is no one to ask here).
/// </summary>
public sealed class ContainerLogWriter : IAsyncDisposable
{
    /// <summary>containerd's CRI logger splits lines at 16 KiB; kubelet's reader expects the same.</summary>
    public const int MaxLineBytes = 16 * 1024;

    private readonly string path;
    private readonly long maxBytes;
    private readonly int maxFiles;
    private readonly TimeProvider clock;
    private readonly SemaphoreSlim gate = new(1, 1);
    private FileStream file;

    public ContainerLogWriter(string path, long maxBytes, int maxFiles, TimeProvider clock)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFiles, 1);
        this.path = path;
        this.maxBytes = maxBytes;
        this.maxFiles = maxFiles;
        this.clock = clock;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        file = Open(path);
    }

    /// <summary>Copies a stream to the log until it ends, tagging each line with <paramref name="stream"/> ("stdout" or "stderr").</summary>
    public async Task CopyAsync(Stream source, string stream, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MaxLineBytes);
        var pending = new MemoryStream();
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer.AsMemory(0, MaxLineBytes), cancellationToken).ConfigureAwait(false)) > 0)
            {
                var chunk = buffer.AsMemory(0, read);
                int newline;
                while ((newline = chunk.Span.IndexOf((byte)'\n')) >= 0)
                {
                    pending.Write(chunk.Span[..newline]);
                    await FlushPendingAsync(pending, stream, full: true, cancellationToken).ConfigureAwait(false);
                    chunk = chunk[(newline + 1)..];
                }
                pending.Write(chunk.Span);
                while (pending.Length >= MaxLineBytes)
                    await FlushPendingAsync(pending, stream, full: false, cancellationToken).ConfigureAwait(false);
            }
            // A last line without a newline still ends the stream: write it as a full entry.
            if (pending.Length > 0)
                await FlushPendingAsync(pending, stream, full: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task FlushPendingAsync(MemoryStream pending, string stream, bool full, CancellationToken cancellationToken)
    {
        var bytes = pending.GetBuffer().AsMemory(0, (int)pending.Length);
        var take = Math.Min(bytes.Length, MaxLineBytes);
        var partial = !full || take < bytes.Length;
        await WriteEntryAsync(stream, bytes[..take], partial, cancellationToken).ConfigureAwait(false);
        var rest = bytes[take..].ToArray();
        pending.SetLength(0);
        pending.Write(rest);
        if (full && pending.Length > 0)
            await FlushPendingAsync(pending, stream, full, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Appends one entry; thread-safe across the stdout and stderr copiers.</summary>
    public async Task WriteEntryAsync(string stream, ReadOnlyMemory<byte> line, bool partial, CancellationToken cancellationToken)
    {
        var header = Encoding.UTF8.GetBytes($"{FormatTimestamp(clock.GetUtcNow())} {stream} {(partial ? 'P' : 'F')} ");
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await file.WriteAsync(header, cancellationToken).ConfigureAwait(false);
            await file.WriteAsync(line, cancellationToken).ConfigureAwait(false);
            file.WriteByte((byte)'\n');
            await file.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (file.Length >= maxBytes)
                Rotate();
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>RFC 3339 with a fixed nine-digit fraction (containerd's format), so entries sort as text.</summary>
    public static string FormatTimestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture) + "00Z";

    private void Rotate()
    {
        file.Dispose();
        // path.(maxFiles-1) falls off; every other file moves one up; the live file becomes path.1.
        for (var i = maxFiles - 1; i >= 1; i--)
        {
            var from = i == 1 ? path : $"{path}.{i - 1}";
            var to = $"{path}.{i}";
            if (File.Exists(from))
                File.Move(from, to, overwrite: true);
        }
        if (maxFiles == 1)
            File.Delete(path);
        file = Open(path);
    }

    private static FileStream Open(string path) =>
        new(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1, useAsync: true);

    public async ValueTask DisposeAsync()
    {
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await file.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }
}
