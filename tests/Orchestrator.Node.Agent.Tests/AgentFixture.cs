using System.Text.Json.Nodes;
using Orchestrator.Client;
using Orchestrator.Node.Agent;
using Orchestrator.Testing;
using Xunit;

namespace Orchestrator.Node.Agent.Tests;

/// <summary>
/// A 3-replica cluster with short node-failure timings, a registry holding busybox:1 and two in-process node agents,
/// each with its own bridge, test-only pod range, cgroup parent and netns prefix. Most tests bind pods to the first
/// agent's node; node-failure tests stop one and start it again. Disposal kills every container and removes what
/// the agents made.
/// </summary>
public sealed class AgentFixture : IAsyncLifetime
{
    /// <summary>Node leases go stale after 8 s (agents renew every 2 s); pods leave a lost node 2 s after its taint.</summary>
    private static readonly IReadOnlyList<string> NodeFailureTimings =
    [
        "--node-monitor-grace-period", "8",
        "--default-toleration-seconds", "2",
    ];

    public ApiCluster Cluster { get; private set; } = null!;

    public TestRegistry Registry { get; private set; } = null!;

    public KubeClient Client { get; private set; } = null!;

    /// <summary>The agent most tests bind their pods to.</summary>
    public TestNodeAgent First { get; private set; } = null!;

    public TestNodeAgent Second { get; private set; } = null!;

    public IReadOnlyList<TestNodeAgent> Agents => [First, Second];

    public NodeAgent Agent => First.Agent ?? throw new InvalidOperationException("the first agent is stopped");

    public NodeAgentOptions Options => First.Options;

    public string Image => $"{Registry.Address}/busybox:1";

    public string NodeName => First.NodeName;

    public async Task InitializeAsync()
    {
        Registry = await TestRegistry.StartAsync();
        await BusyboxImage.PushAsync(Registry, "busybox", "1");
        Cluster = await ApiCluster.StartAsync(3, serverArgs: NodeFailureTimings);
        Client = await KubeClient.FromKubeconfigAsync(Cluster.KubeconfigPath);
        var subnet = Random.Shared.Next(0, 255);
        First = await TestNodeAgent.StartAsync(Client, Registry.ClientOptions, subnet);
        Second = await TestNodeAgent.StartAsync(Client, Registry.ClientOptions, subnet + 1);
    }

    /// <summary>
    /// Stops the first agent as a crash would (containers left behind) and starts a fresh one on the same state: it
    /// removes the orphans and restarts the pods' containers.
    /// </summary>
    public Task RestartAgentAsync() => First.RestartAsync();

    public async Task DisposeAsync()
    {
        if (First is not null)
            await First.DisposeAsync();
        if (Second is not null)
            await Second.DisposeAsync();
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

    /// <summary>
    /// Waits until the agent has reported every one of <paramref name="reasons"/> as an Event about the pod, from
    /// source kubelet on the pod's node (events are written off the hot path, so they may trail the status).
    /// </summary>
    public async Task<List<JsonObject>> WaitEventsAsync(string ns, string pod, params string[] reasons)
    {
        List<JsonObject> events = [];
        await Eventually.HoldsAsync(async () =>
        {
            events = [.. (await Client.ListAsync(ApiResource.Events, ns)).Items
                .Where(e => (e.Str("involvedObject", "name") ?? "") == pod && e.Str("source", "component") == "kubelet")];
            return reasons.All(r => events.Any(e => (e.Str("reason") ?? "") == r));
        }, TimeSpan.FromSeconds(30), () => string.Join("; ", events.Select(e => $"{e.Str("reason")}: {e.Str("message")}")));
        return events;
    }

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
