using System.Runtime.Versioning;
using Orchestrator.Node.Images;
using Orchestrator.Node.Runtime;

namespace Orchestrator.Server.Hosting;

/// <summary>
/// `up --nodes N`: real node agents, each an `orchestrator node --stop-pods-on-exit` process with its state in
/// DATA/node-K (log DATA/node-K/agent.log, pid DATA/node-K.pid) and its own pod range, bridge, netns prefix and
/// cgroup parent (<see cref="LocalNode"/>). Stopping an agent stops its pods' containers and removes their
/// namespaces and its bridge; <see cref="CleanUpAsync"/> removes whatever a killed agent left behind.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class LocalNodeAgents(string dataDirectory, IReadOnlyList<LocalNode> nodes, string kubeconfig)
{
    private const string CgroupRoot = "/sys/fs/cgroup";
    private const string ForwardingFile = "/proc/sys/net/ipv4/ip_forward";

    public IReadOnlyList<LocalNode> Nodes => nodes;

    public IEnumerable<string> PidFiles => nodes.Select(PidFile);

    /// <summary>Why real nodes cannot run on this host (one line), or null when they can.</summary>
    public static async Task<string?> UnsupportedAsync(CancellationToken token)
    {
        if (!OperatingSystem.IsLinux())
            return "real nodes need Linux";
        if (!Environment.IsPrivilegedProcess)
            return "not running as root (real nodes run containers with runc)";
        foreach (var (tool, package) in new[] { ("runc", "runc"), ("ip", "iproute2"), ("setsid", "util-linux") })
        {
            if (LocalProcesses.Which(tool) is null)
                return $"{tool} is not installed (apt-get install {package})";
        }
        if (!File.Exists(BusyboxImageBuilder.DefaultBinary))
            return $"{BusyboxImageBuilder.DefaultBinary} is missing (apt-get install busybox-static)";
        if (!File.Exists(LocalRegistry.Binary))
            return $"{LocalRegistry.Binary} is missing (apt-get install docker-registry)";
        if (CgroupStats.IsUnified(CgroupRoot))
        {
            var controllers = File.ReadAllText(Path.Combine(CgroupRoot, "cgroup.controllers")).Split(' ', StringSplitOptions.TrimEntries);
            if (!controllers.Contains("memory") || !controllers.Contains("cpu"))
                return $"the runtime needs the memory and cpu controllers in {CgroupRoot}/cgroup.controllers";
        }
        else if (!Directory.Exists(Path.Combine(CgroupRoot, "memory")) || !Directory.Exists(Path.Combine(CgroupRoot, "cpuacct")))
        {
            return $"the runtime needs cgroup controllers (v1 memory and cpuacct, or v2) under {CgroupRoot}";
        }
        var probe = CgroupStats.DirectoryOf(CgroupRoot, $"orchestrator-probe-{Environment.ProcessId}");
        try
        {
            Directory.CreateDirectory(probe);
            Directory.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cgroups are not writable here ({e.Message})";
        }
        var version = await ExternalCommand.RunAsync("runc", ["--version"], token);
        if (!version.Succeeded)
            return $"`runc --version` failed: {version.StandardError.Trim()}";
        return null;
    }

    /// <summary>
    /// Pods on different nodes are on different bridges: the host routes between them only with IPv4 forwarding on.
    /// Returns true when it had to be switched on.
    /// </summary>
    public static bool EnableForwarding()
    {
        if (File.ReadAllText(ForwardingFile).Trim() == "1")
            return false;
        File.WriteAllText(ForwardingFile, "1\n");
        return true;
    }

    public async Task StartAsync(int count, string registry, CancellationToken token)
    {
        foreach (var node in nodes.Take(count))
        {
            var root = Path.Combine(dataDirectory, node.Name);
            await LocalProcesses.StartAsync(LocalProcesses.Self("node", "--name", node.Name, "--kubeconfig", kubeconfig,
                    "--root", root, "--pod-cidr", node.PodCidr, "--bridge", node.Bridge, "--cgroup-parent", node.CgroupParent,
                    "--registry", registry, "--insecure-registry", registry, "--stop-pods-on-exit"),
                LogPath(node), PidFile(node), token);
        }
    }

    /// <summary>The first <paramref name="count"/> nodes, with the pid file and log of their agent, for <see cref="LocalCluster.WaitUntilNodesReadyAsync"/>.</summary>
    public IEnumerable<(string Node, string PidFile, string Log)> Started(int count) =>
        nodes.Take(count).Select(n => (n.Name, PidFile(n), LogPath(n)));

    /// <summary>
    /// After the agents are stopped: removes what one that was killed left behind, i.e. its containers (runc state in
    /// DATA/node-K/runtime), its pods' network namespaces, its bridge and its cgroups. Safe to repeat.
    /// </summary>
    public async Task CleanUpAsync()
    {
        if (!Environment.IsPrivilegedProcess || LocalProcesses.Which("runc") is null || LocalProcesses.Which("ip") is null)
            return;
        var namespaces = (await ExternalCommand.RunAsync("ip", ["netns", "list"], CancellationToken.None)).StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0]).ToList();
        foreach (var node in nodes)
        {
            var runtimeRoot = Path.Combine(dataDirectory, node.Name, "runtime");
            if (Directory.Exists(runtimeRoot))
            {
                await using var runtime = new RuncRuntime(new RuntimeOptions { RootDirectory = runtimeRoot, CgroupParent = node.CgroupParent });
                await runtime.CleanUpOrphansAsync(CancellationToken.None);
            }
            // The agent names its pods' namespaces BRIDGE-<pod id> (see NodeCommand).
            foreach (var name in namespaces.Where(n => n.StartsWith(node.Bridge + "-", StringComparison.Ordinal)))
                await ExternalCommand.RunAsync("ip", ["netns", "del", name], CancellationToken.None);
            if (Directory.Exists(Path.Combine("/sys/class/net", node.Bridge)))
                await ExternalCommand.RunAsync("ip", ["link", "del", "dev", node.Bridge], CancellationToken.None);
            CgroupStats.RemoveEmpty(CgroupRoot, "/" + node.CgroupParent);
        }
    }

    public string LogPath(LocalNode node) => Path.Combine(dataDirectory, node.Name, "agent.log");

    private string PidFile(LocalNode node) => Path.Combine(dataDirectory, node.Name + ".pid");
}
