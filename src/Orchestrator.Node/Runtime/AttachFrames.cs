using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Orchestrator.Node.Runtime;

/// <summary>
/// The framing between a container's shim and an attached client on the shim's attach socket: a channel byte, a
/// 4-byte big-endian length, the payload. The channels are kubelet's stream numbers: to the shim 0 stdin, 4 resize
/// (columns and rows, 2 bytes each), 255 end of this client's stdin; from the shim 1 stdout, 2 stderr.
/// </summary>
public static class AttachFrames
{
    public const byte Stdin = 0;
    public const byte Stdout = 1;
    public const byte Stderr = 2;
    public const byte Resize = 4;
    public const byte CloseStdin = 255;

    /// <summary>Larger frames are a protocol error (the shim never writes more than a read's worth).</summary>
    public const int MaxPayload = 1024 * 1024;

    /// <summary>
    /// The shim's socket: an abstract Unix socket (no path, so no 108-byte limit for long bundle paths) named for
    /// the bundle. Abstract sockets belong to the host's network namespace, which containers do not share; the shim
    /// still accepts only root peers.
    /// </summary>
    public static string SocketName(string bundleDirectory) =>
        "\0orchestrator-attach-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(bundleDirectory))))[..40];

    public static async ValueTask WriteAsync(Stream stream, byte channel, ReadOnlyMemory<byte> payload, CancellationToken token)
    {
        var frame = new byte[5 + payload.Length];
        frame[0] = channel;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1), payload.Length);
        payload.CopyTo(frame.AsMemory(5));
        await stream.WriteAsync(frame, token).ConfigureAwait(false);
        await stream.FlushAsync(token).ConfigureAwait(false);
    }

    /// <summary>The next frame; null at a clean end of the stream.</summary>
    /// <exception cref="InvalidDataException">A truncated or oversized frame.</exception>
    public static async ValueTask<(byte Channel, byte[] Payload)?> ReadAsync(Stream stream, CancellationToken token)
    {
        var header = new byte[5];
        var read = await stream.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, token).ConfigureAwait(false);
        if (read == 0)
            return null;
        if (read < header.Length)
            throw new InvalidDataException("the attach stream ended inside a frame header");
        var length = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(1));
        if (length is < 0 or > MaxPayload)
            throw new InvalidDataException($"an attach frame of {length} bytes");
        var payload = new byte[length];
        await stream.ReadExactlyAsync(payload, token).ConfigureAwait(false);
        return (header[0], payload);
    }

    public static byte[] ResizePayload(TerminalSize size)
    {
        var payload = new byte[4];
        BinaryPrimitives.WriteUInt16BigEndian(payload, size.Columns);
        BinaryPrimitives.WriteUInt16BigEndian(payload.AsSpan(2), size.Rows);
        return payload;
    }

    public static TerminalSize? ReadResize(ReadOnlySpan<byte> payload) =>
        payload.Length == 4 && BinaryPrimitives.ReadUInt16BigEndian(payload) is > 0 and var columns && BinaryPrimitives.ReadUInt16BigEndian(payload[2..]) is > 0 and var rows
            ? new TerminalSize(columns, rows)
            : null;
}
