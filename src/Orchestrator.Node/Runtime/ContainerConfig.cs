namespace Orchestrator.Node.Runtime;

/// <summary>Everything the runtime needs to run one container of a pod.</summary>
public sealed record ContainerConfig
{
    /// <summary>Unique on the node; used as the runc container id, bundle and log directory name.</summary>
    public required string Id { get; init; }

    /// <summary>The pod (usually its uid); containers of one pod share a cgroup parent.</summary>
    public required string PodId { get; init; }

    /// <summary>The unpacked image root filesystem; never written to (the container gets its own upper layer).</summary>
    public required string ImageRootfs { get; init; }

    public ImageConfig Image { get; init; } = ImageConfig.Empty;

    /// <summary>Kubernetes container.command: replaces the image Entrypoint (and drops its Cmd).</summary>
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary>Kubernetes container.args: replaces the image Cmd.</summary>
    public IReadOnlyList<string>? Args { get; init; }

    /// <summary>Resolved environment, in order; overrides same-named image variables.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Env { get; init; } = [];

    public string? WorkingDir { get; init; }
    public string? Hostname { get; init; }
    public IReadOnlyList<ContainerMount> Mounts { get; init; } = [];

    /// <summary>/var/run/netns/&lt;pod&gt; to join the pod's network; null gives the container a private one (lo only).</summary>
    public string? NetworkNamespacePath { get; init; }

    public ContainerResources Resources { get; init; } = new();

    /// <summary>container.stdin, stdinOnce and tty: whether attach can type into it, and whether it runs on a terminal.</summary>
    public ContainerStdio Stdio { get; init; } = ContainerStdio.None;
}

/// <summary>A volume bind-mounted into the container (emptyDir dir, configMap/secret files dir, hostPath).</summary>
public sealed record ContainerMount(string HostPath, string ContainerPath, bool ReadOnly = false);

/// <summary>Kubernetes resources of one container, already converted to bytes and millicores.</summary>
public sealed record ContainerResources
{
    public long? MemoryLimitBytes { get; init; }
    public long? CpuLimitMillicores { get; init; }
    public long? CpuRequestMillicores { get; init; }
}
