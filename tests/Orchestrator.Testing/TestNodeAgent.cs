using Orchestrator.Client;
using Orchestrator.Node.Agent;
using Orchestrator.Node.Images;
using Orchestrator.Node.Runtime;

namespace Orchestrator.Testing;

/// <summary>
/// A real node agent in the test process with its own root directory, bridge, pod range (10.251.X.0/24), cgroup
/// parent and netns prefix, so several can share the host with each other and with a real node. Short timings.
/// Disposal kills its containers and their shims and removes every namespace, bridge, cgroup and file it made.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TestNodeAgent : IAsyncDisposable
{
    private readonly KubeClient client;
    private NodeAgent? stopped;

    private TestNodeAgent(KubeClient client, NodeAgentOptions options)
    {
        this.client = client;
        Options = options;
    }

    public NodeAgentOptions Options { get; }

    public string NodeName => Options.NodeName;

    /// <summary>The running agent; null while <see cref="StopAsync"/> has it stopped.</summary>
    public NodeAgent? Agent { get; private set; }

    /// <param name="podSubnet">Third octet of the pod range; agents sharing a host need different ones.</param>
    public static async Task<TestNodeAgent> StartAsync(KubeClient client, RegistryOptions registry, int podSubnet, CancellationToken token = default)
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var options = new NodeAgentOptions
        {
            NodeName = "agent-" + suffix,
            RootDirectory = Directory.CreateTempSubdirectory("orch-agent-").FullName,
            PodCidr = $"10.251.{podSubnet}.0/24",
            BridgeName = "oa" + suffix,
            CgroupParent = "orch-agent-test-" + suffix,
            NamespacePrefix = "oa" + suffix + "-",
            Registry = registry,
            InitialRestartBackoff = TimeSpan.FromSeconds(1),
            MaxRestartBackoff = TimeSpan.FromSeconds(4),
            StatusUpdateInterval = TimeSpan.FromSeconds(2),
            LeaseRenewInterval = TimeSpan.FromSeconds(2),
            PodResyncInterval = TimeSpan.FromSeconds(1),
            ShimCommand = ShimCommand,
        };
        var agent = new TestNodeAgent(client, options);
        await agent.StartAgentAsync(token);
        return agent;
    }

    /// <summary>
    /// The container shim: the native one the orchestrator's build puts beside it, else the managed orchestrator built beside this assembly (see ReplicaProcess).
    /// </summary>
    public static IReadOnlyList<string> ShimCommand => RuntimeOptions.FindNativeShim() is { } native
        ? [native]
        : ["dotnet", System.IO.Path.Combine(AppContext.BaseDirectory, "orchestrator.dll")];

    /// <summary>
    /// Stops the agent as a crash would: no more heartbeats, lease renewals or status, its containers keep running
    /// under their shims.
    /// </summary>
    public async Task StopAsync()
    {
        if (Agent is null)
            return;
        await Agent.DisposeAsync();
        stopped = Agent;
        Agent = null;
    }

    /// <summary>
    /// Starts a fresh agent on the same state (after <see cref="StopAsync"/> or a running one, which is stopped first):
    /// it adopts the containers the old one left running (or that exited meanwhile) and carries on with them.
    /// </summary>
    public async Task RestartAsync(CancellationToken token = default)
    {
        await StopAsync();
        // The old runtime stops watching first, as a dead agent would; its containers stay for the new one.
        if (stopped is not null)
            await stopped.Runtime.DisposeAsync();
        await StartAgentAsync(token);
        stopped = null;
    }

    private async Task StartAgentAsync(CancellationToken token)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        Agent = await NodeAgent.StartAsync(client, Options, timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        var network = (Agent ?? stopped)?.Network;
        if (Agent is not null)
            await Agent.DisposeAsync();
        // Agents leave pods running when they stop (like kubelet): a runtime that watches none of them kills them all,
        // shims included.
        foreach (var agent in new[] { Agent, stopped })
        {
            if (agent is not null)
                await agent.Runtime.DisposeAsync();
        }
        Agent = stopped = null;
        if (Directory.Exists(Path.Combine(Options.RootDirectory, "runtime")))
        {
            await using var sweeper = new RuncRuntime(new RuntimeOptions { RootDirectory = Path.Combine(Options.RootDirectory, "runtime"), CgroupParent = Options.CgroupParent });
            await sweeper.CleanUpOrphansAsync(CancellationToken.None);
        }
        foreach (var line in (await ExternalCommand.RunAsync("ip", ["netns", "list"], CancellationToken.None)).StandardOutput.Split('\n'))
        {
            var name = line.Split(' ')[0];
            if (name.StartsWith(Options.NamespacePrefix, StringComparison.Ordinal))
                await ExternalCommand.RunAsync("ip", ["netns", "del", name], CancellationToken.None);
        }
        if (network is not null)
            await network.DeleteBridgeAsync(CancellationToken.None);
        CgroupStats.RemoveEmpty("/sys/fs/cgroup", "/" + Options.CgroupParent);
        if (Directory.Exists(Options.RootDirectory))
            Directory.Delete(Options.RootDirectory, recursive: true);
    }
}
