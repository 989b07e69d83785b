using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Client;
using Orchestrator.Client.Events;
using Orchestrator.Client.Informers;
using Orchestrator.Node.Images;
using Orchestrator.Node.Network;
using Orchestrator.Node.Runtime;

namespace Orchestrator.Node.Agent;

/// <summary>
/// A real kubelet: registers its Node, keeps it Ready and its Lease renewed, and runs the pods bound to it as
/// runc containers in their own network namespaces. It talks to the cluster only through <see cref="KubeClient"/>.
/// Stopping the agent stops its loops but not the pods' containers, as with kubelet: each runs under its own shim.
/// The next start adopts them (<see cref="RuncRuntime.AdoptAsync"/>), running or exited meanwhile, and removes what
/// the runtime can no longer supervise (<see cref="RuncRuntime.CleanUpOrphansAsync"/>) or no pod claims.
/// With <see cref="NodeAgentOptions.StopPodsOnExit"/> it takes its pods down with it (NodeAgent.Shutdown.cs).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class NodeAgent : IAsyncDisposable
{
    private readonly KubeClient client;
    private readonly NodeAgentOptions options;
    private readonly TimeProvider clock;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stop;
    private readonly Informer pods;
    private readonly ConcurrentDictionary<string, PodWorker> workers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task> workerTasks = new(StringComparer.Ordinal);
    private readonly HttpClient registryHttp = new();
    private readonly RuntimeOptions runtimeOptions;
    private PodWorkerContext? context;
    private HostFacts? host;
    private readonly EventRecorder events;
    private Task running = Task.CompletedTask;

    private NodeAgent(KubeClient client, NodeAgentOptions options, TimeProvider clock, ILogger logger, CancellationToken token)
    {
        options.Validate();
        authorizer = AgentClientAuthorizer.Create(options, client);
        this.client = client;
        this.options = options;
        this.clock = clock;
        this.logger = logger;
        stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        // Reported like kubelet's: source.component kubelet, source.host the node, so `kubectl describe pod` reads the same.
        events = new EventRecorder(client, "kubelet", clock, logger, options.NodeName);
        runtimeOptions = new RuntimeOptions
        {
            RootDirectory = Path.Combine(options.RootDirectory, "runtime"),
            CgroupParent = options.CgroupParent,
            ShimCommand = options.ShimCommand,
        };
        Runtime = new RuncRuntime(runtimeOptions, clock);
        Network = new PodNetwork(new PodNetworkOptions
        {
            BridgeName = options.BridgeName,
            PodCidr = options.PodCidr,
            StateDirectory = Path.Combine(options.RootDirectory, "network"),
            NamespacePrefix = options.NamespacePrefix,
        });
        Images = new ImageStore(Path.Combine(options.RootDirectory, "images"), new RegistryClient(registryHttp, options.Registry), logger);
        pods = new Informer(client, ApiResource.Pods, null, OnPodAsync,
            new InformerOptions { FieldSelector = "spec.nodeName=" + options.NodeName });
    }

    public RuncRuntime Runtime { get; }

    public PodNetwork Network { get; }

    public ImageStore Images { get; }

    public string NodeName => options.NodeName;

    /// <summary>Completes when the agent stops; faults if a loop fails for good.</summary>
    public Task Completion => running;

    /// <summary>Cleans up orphans, sets up the bridge, registers the node and lease, then runs until disposed or cancelled.</summary>
    public static async Task<NodeAgent> StartAsync(KubeClient client, NodeAgentOptions options, CancellationToken token = default,
        TimeProvider? clock = null, ILogger? logger = null)
    {
        var agent = new NodeAgent(client, options, clock ?? TimeProvider.System, logger ?? NullLogger.Instance, token);
        try
        {
            await agent.InitializeAsync(agent.stop.Token).ConfigureAwait(false);
            return agent;
        }
        catch
        {
            await agent.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task InitializeAsync(CancellationToken token)
    {
        // Containers outlive the agent through their shims: take back those still supervised, remove the rest.
        var adopted = await Runtime.AdoptAsync(token).ConfigureAwait(false);
        var orphans = await Runtime.CleanUpOrphansAsync(token).ConfigureAwait(false);
        if (adopted.Count > 0 || orphans.Count > 0)
            logger.LogInformation("adopted {Adopted} containers left by an earlier run, removed {Removed} it could no longer supervise", adopted.Count, orphans.Count);
        await Network.EnsureBridgeAsync(token).ConfigureAwait(false);
        host = await HostFacts.ReadAsync(token).ConfigureAwait(false);
        var specs = new ContainerSpecs(client);
        context = new PodWorkerContext(client, Runtime, Images,
            new PodSandboxes(Network, specs, new ProjectedVolumes(specs, clock), Path.Combine(options.RootDirectory, "pods"), options.InternalIp),
            specs, options, clock, logger, events);
        await StartServerAsync(token).ConfigureAwait(false);
        var uid = await RegisterAsync(token).ConfigureAwait(false);
        await EnsureLeaseAsync(uid, token).ConfigureAwait(false);
        pods.Start();
        await pods.WaitForSyncAsync(token).ConfigureAwait(false);
        await RemoveUnclaimedAsync(adopted, token).ConfigureAwait(false);
        running = Task.WhenAll(events.RunAsync(2, token), RenewLeaseLoopAsync(token), StatusLoopAsync(token), SampleStatsLoopAsync(token));
        logger.LogInformation("node {Node} registered with {Cpus} cpus, {Memory} bytes; pod range {Cidr}", options.NodeName, host.Cpus, host.MemoryBytes, options.PodCidr);
    }

    /// <summary>
    /// Once the informer synced, every pod bound here has its worker, which claimed its own adopted containers
    /// (<see cref="PodWorker.Adopted"/>): the others belong to pods deleted while the agent was down, or are
    /// superseded attempts, and go.
    /// </summary>
    private async Task RemoveUnclaimedAsync(IReadOnlyList<ContainerStatus> adopted, CancellationToken token)
    {
        foreach (var container in adopted)
        {
            if (workers.TryGetValue(container.PodId, out var worker) && worker.Adopted.Contains(container.Id))
                continue;
            if (Runtime.GetStatus(container.Id) is null)
                continue;
            try
            {
                await Runtime.DeleteAsync(container.Id, removeLogs: false, token).ConfigureAwait(false);
                logger.LogInformation("removed container {Container}: no pod bound to this node claims it", container.Id);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "could not remove unclaimed container {Container}", container.Id);
            }
        }
    }

    private ValueTask OnPodAsync(InformerEvent change, CancellationToken token)
    {
        var pod = change.Object;
        var uid = pod.Str("metadata", "uid") ?? "";
        if (change.Type == InformerEventType.Deleted)
        {
            if (workers.TryGetValue(uid, out var gone))
                gone.Remove();
            return ValueTask.CompletedTask;
        }
        if ((pod.Str("spec", "nodeName") ?? "") != options.NodeName || context is null)
            return ValueTask.CompletedTask;
        if (workers.TryGetValue(uid, out var worker))
        {
            worker.Update(pod);
            return ValueTask.CompletedTask;
        }
        worker = new PodWorker(context, pod);
        workers[uid] = worker;
        workerTasks[uid] = RunWorkerAsync(worker);
        return ValueTask.CompletedTask;
    }

    private async Task RunWorkerAsync(PodWorker worker)
    {
        await Task.Yield();
        try
        {
            await worker.RunAsync(stop.Token).ConfigureAwait(false);
        }
        finally
        {
            workers.TryRemove(worker.Uid, out _);
            workerTasks.TryRemove(worker.Uid, out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        await pods.DisposeAsync().ConfigureAwait(false);
        await StopServerAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll([running, .. workerTasks.Values]).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            if (options.StopPodsOnExit)
                await StopPodsAsync().ConfigureAwait(false);
        }
        Images.Dispose();
        registryHttp.Dispose();
        stop.Dispose();
    }
}
