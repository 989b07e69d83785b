using System.Text;
using Microsoft.Extensions.Time.Testing;
using Orchestrator.Node.Runtime;
using Xunit;

namespace Orchestrator.Node.Runtime.Tests;

public sealed class ContainerLogWriterTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("orch-log-").FullName;
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(1234567));

    [Fact]
    public async Task Lines_are_written_in_the_CRI_format_with_nanosecond_timestamps()
    {
        var path = Path.Combine(directory, "c.log");
        await using (var writer = new ContainerLogWriter(path, 1 << 20, 2, clock))
        {
            await writer.CopyAsync(new MemoryStream(Encoding.UTF8.GetBytes("one\ntwo\nno newline")), "stdout", CancellationToken.None);
            await writer.CopyAsync(new MemoryStream(Encoding.UTF8.GetBytes("err\n")), "stderr", CancellationToken.None);
        }

        Assert.Equal(
            [
                "2024-01-01T00:00:00.123456700Z stdout F one",
                "2024-01-01T00:00:00.123456700Z stdout F two",
                "2024-01-01T00:00:00.123456700Z stdout F no newline",
                "2024-01-01T00:00:00.123456700Z stderr F err",
            ],
            await File.ReadAllLinesAsync(path));
    }

    [Fact]
    public async Task Long_lines_are_split_into_partial_entries()
    {
        var path = Path.Combine(directory, "c.log");
        var line = new string('x', ContainerLogWriter.MaxLineBytes + 10);
        await using (var writer = new ContainerLogWriter(path, 1 << 20, 2, clock))
            await writer.CopyAsync(new MemoryStream(Encoding.UTF8.GetBytes(line + "\n")), "stdout", CancellationToken.None);

        var entries = await File.ReadAllLinesAsync(path);
        Assert.Equal(2, entries.Length);
        Assert.Contains(" stdout P ", entries[0]);
        Assert.Contains(" stdout F ", entries[1]);
        Assert.Equal(line, string.Concat(entries.Select(e => e.Split(' ', 4)[3])));
    }

    [Fact]
    public async Task Rotation_keeps_the_configured_number_of_files()
    {
        var path = Path.Combine(directory, "c.log");
        await using (var writer = new ContainerLogWriter(path, maxBytes: 200, maxFiles: 3, clock))
        {
            for (var i = 0; i < 50; i++)
                await writer.WriteEntryAsync("stdout", Encoding.UTF8.GetBytes($"line {i}"), partial: false, CancellationToken.None);
        }

        Assert.Equal(["c.log", "c.log.1", "c.log.2"], Directory.EnumerateFiles(directory).Select(Path.GetFileName).Order());
        Assert.All(Directory.EnumerateFiles(directory), f => Assert.True(new FileInfo(f).Length <= 200 + 60));
        Assert.Contains("line 49", await File.ReadAllTextAsync(path + ".1") + await File.ReadAllTextAsync(path));
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);
}
