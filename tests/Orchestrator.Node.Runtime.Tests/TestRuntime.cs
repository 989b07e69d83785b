using Orchestrator.Node.Runtime;

namespace Orchestrator.Node.Runtime.Tests;

/// <summary>
/// A runtime with its own root directory, runc state directory and cgroup parent, so a test sees only its
/// own containers; disposing deletes every container, shim, cgroup and file it made.
/// </summary>
public sealed class TestRuntime : IAsyncDisposable
{
    public TestRuntime()
    {
        Host.Require();
        Image = new BusyboxRootfs();
        var name = $"orch-test-{Guid.NewGuid():N}"[..20];
        Options = new RuntimeOptions
        {
            RootDirectory = Directory.CreateTempSubdirectory("orch-runtime-").FullName,
            CgroupParent = name,
            LogMaxBytes = 64 * 1024,
            LogMaxFiles = 3,
            ShimCommand = ShimCommand,
        };
        Runtime = new RuncRuntime(Options);
    }

    /// <summary>
    /// The container shim: the native one the orchestrator's build puts beside it, else the managed orchestrator built beside the tests (the project references it).
    /// </summary>
    public static IReadOnlyList<string> ShimCommand => RuntimeOptions.FindNativeShim() is { } native
        ? [native]
        : ["dotnet", System.IO.Path.Combine(AppContext.BaseDirectory, "orchestrator.dll")];

    public BusyboxRootfs Image { get; }
    public RuntimeOptions Options { get; }
    public RuncRuntime Runtime { get; }

    /// <summary>Every wait in these tests is bounded by this.</summary>
    public static CancellationToken Timeout(int seconds = 30) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    public ContainerConfig Container(string id, params string[] command) => new()
    {
        Id = id,
        PodId = "pod-" + id,
        ImageRootfs = Image.Path,
        Image = new ImageConfig { Cmd = ["sh"], Env = ["HOME=/root"] },
        Command = command,
    };

    public async ValueTask DisposeAsync()
    {
        await Runtime.DisposeAsync();
        // Containers outlive the runtime under their shims: one that watches none of them removes them all.
        await using (var sweeper = new RuncRuntime(Options))
            await sweeper.CleanUpOrphansAsync(CancellationToken.None);
        // The pod cgroups are gone with their containers; the per-test parent goes now.
        CgroupStats.RemoveEmpty(Options.CgroupRoot, "/" + Options.CgroupParent);
        Directory.Delete(Options.RootDirectory, recursive: true);
        Image.Dispose();
    }
}
