using System.Diagnostics;
using Orchestrator.Node.Images;
using Orchestrator.Testing;
using Xunit;

namespace Orchestrator.Node.Tests.Images;

/// <summary>
/// Our images against standard tooling (skopeo, tests only): skopeo reads the OCI archives we write and
/// converts them to Docker schema 2 in the registry, which the store must then pull (Docker media types).
/// </summary>
public sealed class SkopeoInteropTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    private const string Skopeo = "/usr/bin/skopeo";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task PullsADockerSchema2ImageThatSkopeoMadeFromOurArchive()
    {
        Assert.True(File.Exists(Skopeo), $"{Skopeo} is missing: apt-get install skopeo");
        using var cancel = new CancellationTokenSource(Timeout);
        using var root = new TempDirectory();
        var archive = Path.Combine(root.Path, "busybox.tar");
        await BusyboxImage.WriteArchiveAsync(archive, ImageReference.Parse("example.com/busybox:latest"), cancel.Token);
        var registry = fixture.Registry;

        await RunAsync(cancel.Token, "copy", "--dest-tls-verify=false", "--format", "v2s2",
            $"oci-archive:{archive}", $"docker://{registry.Address}/interop:v2s2");
        using var store = new ImageStore(Path.Combine(root.Path, "store"), new RegistryClient(new HttpClient(), registry.ClientOptions));
        var image = await store.EnsureImageAsync("interop:v2s2", PullPolicy.Always, cancel.Token);

        var manifest = await File.ReadAllTextAsync(Path.Combine(store.Root, "blobs", "sha256", image.ManifestDigest.Hex), cancel.Token);
        Assert.Contains(MediaTypes.DockerManifest, manifest);
        Assert.Contains(MediaTypes.DockerLayerGzip, manifest);
        Assert.Equal("busybox", new FileInfo(Path.Combine(image.RootFsPath, "bin", "sh")).LinkTarget);
        Assert.True(File.GetUnixFileMode(Path.Combine(image.RootFsPath, "bin", "busybox")).HasFlag(UnixFileMode.UserExecute));
        Assert.Equal(["sh"], image.Config.Cmd!);
    }

    private static async Task RunAsync(CancellationToken token, params string[] arguments)
    {
        var info = new ProcessStartInfo(Skopeo) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(token);
        var stderr = process.StandardError.ReadToEndAsync(token);
        try
        {
            await process.WaitForExitAsync(token);
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
        Assert.True(process.ExitCode == 0, $"skopeo {string.Join(' ', arguments)} exited {process.ExitCode}: {await stdout}{await stderr}");
    }
}
