using System.Text;
using Orchestrator.Node.Runtime;
using Xunit;

namespace Orchestrator.Node.Agent.Tests;

/// <summary>The CRI log reader on hand-written files: rotation order, tail across files, partial lines, since, limits.</summary>
public sealed class ContainerLogReaderTests : IDisposable
{
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("orch-logread-");

    private string Log => Path.Combine(directory.FullName, "c.log");

    public void Dispose() => directory.Delete(recursive: true);

    private static string Entry(int second, string text, char tag = 'F') => $"2024-01-01T00:00:{second:00}.000000000Z stdout {tag} {text}\n";

    private async Task<string> ReadAsync(LogReadOptions options)
    {
        using var output = new MemoryStream();
        await ContainerLogReader.CopyAsync(Log, options, () => false, output, CancellationToken.None);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    [Fact]
    public async Task Rotated_files_are_read_oldest_first_and_tail_counts_across_them()
    {
        File.WriteAllText(Log + ".2", Entry(1, "a") + Entry(2, "b"));
        File.WriteAllText(Log + ".1", Entry(3, "c"));
        File.WriteAllText(Log, Entry(4, "d") + Entry(5, "part-", 'P') + Entry(5, "end"));

        Assert.Equal("a\nb\nc\nd\npart-end\n", await ReadAsync(new LogReadOptions()));
        Assert.Equal("c\nd\npart-end\n", await ReadAsync(new LogReadOptions { TailLines = 3 }));
        Assert.Equal("", await ReadAsync(new LogReadOptions { TailLines = 0 }));
        Assert.Equal("2024-01-01T00:00:04.000000000Z d\n", await ReadAsync(new LogReadOptions { TailLines = 2, Timestamps = true, LimitBytes = 33 }));
        Assert.Equal("d\npart-end\n", await ReadAsync(new LogReadOptions { Since = new DateTimeOffset(2024, 1, 1, 0, 0, 4, TimeSpan.Zero) }));
        Assert.Equal("a\nb", await ReadAsync(new LogReadOptions { LimitBytes = 3 }));
    }

    [Fact]
    public async Task Follow_copies_lines_written_later_until_the_container_stops()
    {
        File.WriteAllText(Log, Entry(1, "first"));
        var running = true;
        using var output = new MemoryStream();
        var follow = ContainerLogReader.CopyAsync(Log, new LogReadOptions { Follow = true, PollInterval = TimeSpan.FromMilliseconds(20) },
            () => Volatile.Read(ref running), output, CancellationToken.None);
        await Task.Delay(100);
        File.AppendAllText(Log, Entry(2, "sec"));
        File.AppendAllText(Log, "2024-01-01T00:00:03.000000000Z stdout F half");
        await Task.Delay(100);
        File.AppendAllText(Log, "-line\n");
        await Task.Delay(100);
        Volatile.Write(ref running, false);
        await follow.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("first\nsec\nhalf-line\n", Encoding.UTF8.GetString(output.ToArray()));
    }
}
