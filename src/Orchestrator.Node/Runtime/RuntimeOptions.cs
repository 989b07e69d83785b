namespace Orchestrator.Node.Runtime;

/// <summary>Where the runc runtime keeps its state; one set per node agent, so agents never see each other's containers.</summary>
public sealed record RuntimeOptions
{
    /// <summary>Agent directory: containers/&lt;id&gt; (bundle) and logs/&lt;id&gt;/ under it.</summary>
    public required string RootDirectory { get; init; }

    public string RuncPath { get; init; } = "runc";

    /// <summary>runc --root: its state directory. Separate per agent so orphan cleanup only sees our containers.</summary>
    public string? RuncStateDirectory { get; init; }

    /// <summary>Top cgroup under every controller; a container lands in /&lt;parent&gt;/&lt;pod&gt;/&lt;container&gt;.</summary>
    public string CgroupParent { get; init; } = "orchestrator";

    /// <summary>Mount point of the cgroup controllers (v1 hierarchies or the unified v2 tree).</summary>
    public string CgroupRoot { get; init; } = "/sys/fs/cgroup";

    public long LogMaxBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary>Log files kept per container, the live one included (kubelet's containerLogMaxFiles, default 5).</summary>
    public int LogMaxFiles { get; init; } = 5;

    /// <summary>How long CreateAndStart waits for runc to report the container started.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public bool AllowOverlay { get; init; } = true;

    /// <summary>
    /// How to run the container shim: executable and leading arguments, to which `container-shim --bundle ...` is
    /// appended (e.g. ["dotnet", "/path/orchestrator.dll"]). Null: the native shim beside this program, else this
    /// process's own executable, which must then be the orchestrator (see <see cref="ResolveShimCommand"/>).
    /// </summary>
    public IReadOnlyList<string>? ShimCommand { get; init; }

    /// <summary>The native (AOT) shim's file name; the build puts it beside orchestrator.dll (src/Orchestrator.Shim).</summary>
    public const string NativeShimName = "orchestrator-shim";

    /// <summary>The native shim beside the running program, or null where it was not built (no AOT toolchain).</summary>
    public static string? FindNativeShim()
    {
        var path = Path.Combine(AppContext.BaseDirectory, NativeShimName);
        return File.Exists(path) ? path : null;
    }

    /// <summary>
    /// The shim command: <see cref="ShimCommand"/>, else the native shim (it starts in milliseconds), else the
    /// running orchestrator (its apphost, or `dotnet orchestrator.dll`) with its managed `container-shim` command.
    /// </summary>
    public IReadOnlyList<string> ResolveShimCommand()
    {
        if (ShimCommand is { Count: > 0 })
            return ShimCommand;
        if (FindNativeShim() is { } native)
            return [native];
        var entry = System.Reflection.Assembly.GetEntryAssembly();
        if (entry?.GetName().Name != "orchestrator" || Environment.ProcessPath is not { } process)
            throw new InvalidOperationException("RuntimeOptions.ShimCommand must name the orchestrator executable when the runtime runs in another program");
        return Path.GetFileNameWithoutExtension(process) == "dotnet" ? [process, entry.Location] : [process];
    }

    internal string ContainersDirectory => Path.Combine(RootDirectory, "containers");
    internal string LogsDirectory => Path.Combine(RootDirectory, "logs");
    internal string RuncRoot => RuncStateDirectory ?? Path.Combine(RootDirectory, "runc");
}
