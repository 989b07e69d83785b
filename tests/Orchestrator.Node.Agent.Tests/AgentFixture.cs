using System.Text.Json.Nodes;
using Orchestrator.Client;
using Orchestrator.Node.Agent;
using Orchestrator.Node.Runtime;
using Orchestrator.Testing;
using Xunit;

namespace Orchestrator.Node.Agent.Tests;

/// <summary>
/// A 3-replica cluster, a registry holding busybox:1 and one in-process node agent with its own bridge, test-only
/// pod range (10.251.X.0/24), cgroup parent and netns prefix. Disposal kills every container, namespace and file made.
/// </summary>
public sealed class AgentFixture : IAsyncLifetime
{
    private readonly string suffix = Guid.NewGuid().ToString("N")[..6];

    public ApiCluster Cluster { get; private set; } = null!;

    public TestRegistry Registry { get; private set; } = null!;

    public KubeClient Client { get; private set; } = null!;

    public NodeAgent Agent { get; private set; } = null!;

    public NodeAgentOptions Options { get; private set; } = null!;

    public string Image => $"{Registry.Address}/busybox:1";

    public string NodeName => Options.NodeName;

    public async Task InitializeAsync()
    {
        Registry = await TestRegistry.StartAsync();
        await BusyboxImage.PushAsync(Registry, "busybox", "1");
        Cluster = await ApiCluster.StartAsync(3);
        Client = await KubeClient.FromKubeconfigAsync(Cluster.KubeconfigPath);
        Options = new NodeAgentOptions
        {
            NodeName = "agent-" + suffix,
            RootDirectory = Directory.CreateTempSubdirectory("orch-agent-").FullName,
            PodCidr = $"10.251.{Random.Shared.Next(0, 256)}.0/24",
            BridgeName = "oa" + suffix,
            CgroupParent = "orch-agent-test-" + suffix,
            NamespacePrefix = "oa" + suffix + "-",
            Registry = Registry.ClientOptions,
            InitialRestartBackoff = TimeSpan.FromSeconds(1),
            MaxRestartBackoff = TimeSpan.FromSeconds(4),
            StatusUpdateInterval = TimeSpan.FromSeconds(2),
            LeaseRenewInterval = TimeSpan.FromSeconds(2),
            PodResyncInterval = TimeSpan.FromSeconds(1),
        };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Agent = await NodeAgent.StartAsync(Client, Options, timeout.Token);
    }

    /// <summary>
    /// Stops the agent as a crash would (containers left behind) and starts a fresh one on the same state: it removes
    /// the orphans and restarts the pods' containers.
    /// </summary>
    public async Task RestartAgentAsync()
    {
        var old = Agent;
        await old.DisposeAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Agent = await NodeAgent.StartAsync(Client, Options, timeout.Token);
        // The old runtime's containers are gone (orphans); this only releases its log writers.
        await old.Runtime.DisposeAsync();
    }

    public async Task DisposeAsync()
    {
        if (Agent is not null)
        {
            await Agent.DisposeAsync();
            // The agent leaves pods running on stop (like kubelet); the test kills them.
            await Agent.Runtime.DisposeAsync();
            foreach (var line in (await ExternalCommand.RunAsync("ip", ["netns", "list"], CancellationToken.None)).StandardOutput.Split('\n'))
            {
                var name = line.Split(' ')[0];
                if (name.StartsWith(Options.NamespacePrefix, StringComparison.Ordinal))
                    await ExternalCommand.RunAsync("ip", ["netns", "del", name], CancellationToken.None);
            }
            await Agent.Network.DeleteBridgeAsync(CancellationToken.None);
            CgroupStats.RemoveEmpty("/sys/fs/cgroup", "/" + Options.CgroupParent);
            Directory.Delete(Options.RootDirectory, recursive: true);
        }
        Client?.Dispose();
        if (Cluster is not null)
            await Cluster.DisposeAsync();
        if (Registry is not null)
            await Registry.DisposeAsync();
    }

    public async Task<string> NamespaceAsync()
    {
        var name = "t-" + Guid.NewGuid().ToString("N")[..8];
        await Client.CreateAsync(ApiResource.Namespaces, null, new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name },
        });
        return name;
    }

    /// <summary>A busybox pod bound to the agent's node directly (no scheduler in the way).</summary>
    public JsonObject Pod(string name, string script, string restartPolicy = "Always", string? image = null, int grace = 30) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject
        {
            ["nodeName"] = NodeName,
            ["restartPolicy"] = restartPolicy,
            ["terminationGracePeriodSeconds"] = grace,
            ["containers"] = new JsonArray(new JsonObject
            {
                ["name"] = "main",
                ["image"] = image ?? Image,
                ["command"] = new JsonArray("sh", "-c", script),
            }),
        },
    };

    /// <summary>Polls the pod until <paramref name="condition"/> holds; the last seen pod is in the failure message.</summary>
    public async Task<JsonObject> WaitPodAsync(string ns, string name, Func<JsonObject, bool> condition, int seconds = 60)
    {
        JsonObject? last = null;
        await Eventually.HoldsAsync(async () =>
        {
            last = await Client.GetAsync(ApiResource.Pods, ns, name);
            return condition(last);
        }, TimeSpan.FromSeconds(seconds), () => last?["status"]?.ToJsonString() ?? "(no pod)");
        return last!;
    }

    /// <summary>
    /// Waits until the container's processes show up: runc reports a start once its init runs, a moment before
    /// that init execs the container's command (until then the command line reads "runc init").
    /// </summary>
    public static async Task<IReadOnlyList<int>> WaitPidsAsync(string marker, IReadOnlyCollection<int>? notAmong = null)
    {
        IReadOnlyList<int> pids = [];
        await Eventually.HoldsAsync(() =>
        {
            pids = Pids(marker).Except(notAmong ?? []).ToList();
            return Task.FromResult(pids.Count > 0);
        }, TimeSpan.FromSeconds(10));
        return pids;
    }

    /// <summary>Host pids whose command line contains <paramref name="marker"/> (the container's processes).</summary>
    public static IReadOnlyList<int> Pids(string marker)
    {
        var pids = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId)
                continue;
            try
            {
                if (File.ReadAllText(Path.Combine(dir, "cmdline")).Contains(marker, StringComparison.Ordinal))
                    pids.Add(pid);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return pids;
    }
}

[CollectionDefinition(Name)]
public sealed class AgentCollection : ICollectionFixture<AgentFixture>
{
    public const string Name = "agent";
}
