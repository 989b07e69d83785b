using System.Formats.Tar;
using Orchestrator.Node.Images;
using Orchestrator.Testing;
using Xunit;

namespace Orchestrator.Node.Tests.Images;

/// <summary>OCI archives (image layout tars) imported without any registry.</summary>
public sealed class OciArchiveImportTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ImportsTheBusyboxArchiveAndServesItWithoutNetwork()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        using var root = new TempDirectory();
        var archive = Path.Combine(root.Path, "busybox.tar");
        var name = ImageReference.Parse("127.0.0.1:5000/busybox:1.36");
        await BusyboxImage.WriteArchiveAsync(archive, name, cancel.Token);
        var requests = new CountingHandler();
        using var store = new ImageStore(Path.Combine(root.Path, "store"),
            new RegistryClient(new HttpClient(requests), new RegistryOptions { DefaultRegistry = "127.0.0.1:5000" }));

        var imported = Assert.Single(await store.ImportArchiveAsync(archive, cancel.Token));
        var found = await store.EnsureImageAsync("busybox:1.36", PullPolicy.Never, cancel.Token);

        Assert.Equal(name, imported.Reference);
        Assert.Equal(imported.RootFsPath, found.RootFsPath);
        Assert.True(File.GetUnixFileMode(Path.Combine(found.RootFsPath, "bin/busybox")).HasFlag(UnixFileMode.UserExecute));
        Assert.Equal("busybox", new FileInfo(Path.Combine(found.RootFsPath, "bin/sh")).LinkTarget);
        Assert.Empty(requests.Requests);
    }

    [Fact]
    public async Task ArchiveBlobNotMatchingItsNameIsRejected()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        using var root = new TempDirectory();
        var image = new OciImageBuilder().AddLayer(l => l.File("a", "a")).Build();
        using var archive = new MemoryStream();
        await OciArchiveWriter.WriteAsync(image, ImageReference.Parse("example.com/a:1"), archive, cancel.Token);
        var tampered = Tamper(archive.ToArray(), image.Layers[0].Digest.Hex);
        using var store = new ImageStore(Path.Combine(root.Path, "store"), new RegistryClient(new HttpClient()));

        await Assert.ThrowsAsync<InvalidDataException>(() => store.ImportArchiveAsync(new MemoryStream(tampered), cancel.Token));
        Assert.Empty(store.References);
    }

    [Fact]
    public async Task LayerSymlinksCannotRedirectWritesOutOfTheRootfs()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        using var root = new TempDirectory();
        var outside = Path.Combine(root.Path, "outside");
        Directory.CreateDirectory(outside);
        var image = new OciImageBuilder()
            .AddLayer(l => l.Symlink("escape", outside).Symlink("up", "../../../../../../../" + outside.TrimStart('/')))
            .AddLayer(l => l.File("escape/pwned", "x").File("up/pwned2", "y"))
            .Build();
        using var archive = new MemoryStream();
        await OciArchiveWriter.WriteAsync(image, ImageReference.Parse("example.com/escape:1"), archive, cancel.Token);
        archive.Position = 0;
        using var store = new ImageStore(Path.Combine(root.Path, "store"), new RegistryClient(new HttpClient()));

        var imported = Assert.Single(await store.ImportArchiveAsync(archive, cancel.Token));

        Assert.Empty(Directory.GetFileSystemEntries(outside));
        Assert.True(File.Exists(Path.Combine(imported.RootFsPath, outside.TrimStart('/'), "pwned")), "absolute link targets resolve inside the rootfs");
        Assert.True(File.Exists(Path.Combine(imported.RootFsPath, outside.TrimStart('/'), "pwned2")), "\"..\" stops at the rootfs");
    }

    /// <summary>Rewrites the archive with one blob's content changed but its name kept.</summary>
    private static byte[] Tamper(byte[] archive, string hex)
    {
        using var output = new MemoryStream();
        using (var reader = new TarReader(new MemoryStream(archive)))
        using (var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true))
        {
            while (reader.GetNextEntry(copyData: true) is { } entry)
            {
                if (entry.Name.EndsWith(hex, StringComparison.Ordinal))
                {
                    var data = new MemoryStream();
                    entry.DataStream!.CopyTo(data);
                    var bytes = data.ToArray();
                    bytes[^1] ^= 0xFF;
                    entry.DataStream = new MemoryStream(bytes);
                }
                writer.WriteEntry(entry);
            }
        }
        return output.ToArray();
    }
}
