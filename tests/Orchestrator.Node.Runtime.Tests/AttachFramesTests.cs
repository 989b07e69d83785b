using Orchestrator.Node.Runtime;
using Xunit;

namespace Orchestrator.Node.Runtime.Tests;

public sealed class AttachFramesTests
{
    [Fact]
    public async Task Frames_round_trip_and_a_clean_end_reads_as_null()
    {
        using var stream = new MemoryStream();
        await AttachFrames.WriteAsync(stream, AttachFrames.Stdout, "hello"u8.ToArray(), CancellationToken.None);
        await AttachFrames.WriteAsync(stream, AttachFrames.CloseStdin, ReadOnlyMemory<byte>.Empty, CancellationToken.None);
        await AttachFrames.WriteAsync(stream, AttachFrames.Resize, AttachFrames.ResizePayload(new TerminalSize(120, 40)), CancellationToken.None);
        stream.Position = 0;

        var (channel, payload) = (await AttachFrames.ReadAsync(stream, CancellationToken.None))!.Value;
        Assert.Equal((AttachFrames.Stdout, "hello"), (channel, System.Text.Encoding.ASCII.GetString(payload)));
        var close = (await AttachFrames.ReadAsync(stream, CancellationToken.None))!.Value;
        Assert.Equal((AttachFrames.CloseStdin, 0), (close.Channel, close.Payload.Length));
        var resize = (await AttachFrames.ReadAsync(stream, CancellationToken.None))!.Value;
        Assert.Equal(new TerminalSize(120, 40), AttachFrames.ReadResize(resize.Payload));
        Assert.Null(await AttachFrames.ReadAsync(stream, CancellationToken.None));
    }

    [Fact]
    public async Task Truncated_and_oversized_frames_are_refused()
    {
        await Assert.ThrowsAsync<InvalidDataException>(async () => await AttachFrames.ReadAsync(new MemoryStream([1, 0, 0]), CancellationToken.None));
        await Assert.ThrowsAsync<InvalidDataException>(async () => await AttachFrames.ReadAsync(new MemoryStream([1, 0x7f, 0, 0, 0]), CancellationToken.None));
        await Assert.ThrowsAsync<EndOfStreamException>(async () => await AttachFrames.ReadAsync(new MemoryStream([1, 0, 0, 0, 9, 1, 2]), CancellationToken.None));
        Assert.Null(AttachFrames.ReadResize([0, 0, 0, 24]));
    }

    [Fact]
    public void Socket_names_are_abstract_short_and_differ_per_bundle()
    {
        var name = AttachFrames.SocketName("/var/lib/orchestrator/containers/" + new string('x', 200));
        Assert.StartsWith("\0", name);
        Assert.True(name.Length < 100);
        Assert.NotEqual(name, AttachFrames.SocketName("/var/lib/orchestrator/containers/other"));
    }
}
