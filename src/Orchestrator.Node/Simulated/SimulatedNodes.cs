using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Client;
using Orchestrator.Client.Informers;

namespace Orchestrator.Node.Simulated;

/// <summary>
/// N simulated kubelets in one process, like kwok: each registers a Node with capacity and Ready
/// conditions and renews its Lease in kube-node-lease; pods bound to any of them go Pending -> Running
/// with Ready conditions and pod IPs, and pods marked for deletion are removed after a short simulated
/// termination. One pod informer, one node informer and one renewal loop serve all nodes, so thousands
/// of nodes cost a few requests per second each, not a connection each.
/// </summary>
public sealed partial class SimulatedNodes : IAsyncDisposable
{
    private readonly KubeClient client;
    private readonly SimulatedNodeOptions options;
    private readonly TimeProvider clock;
    private readonly ILogger logger;
    private readonly Dictionary<string, SimulatedNode> nodes;
    private readonly CancellationTokenSource stop;
    private readonly ConcurrentDictionary<string, JsonObject> leases = new(StringComparer.Ordinal);
    private readonly Informer pods;
    private readonly Informer nodeInformer;
    private Task running = Task.CompletedTask;

    private SimulatedNodes(KubeClient client, int count, SimulatedNodeOptions options, TimeProvider clock, ILogger logger, CancellationToken token)
    {
        if (count < 0 || count > AddressPlan.MaxNodes)
            throw new ArgumentOutOfRangeException(nameof(count), $"between 0 and {AddressPlan.MaxNodes} simulated nodes");
        this.client = client;
        this.options = options;
        this.clock = clock;
        this.logger = logger;
        nodes = Enumerable.Range(0, count).Select(i => new SimulatedNode($"{options.NamePrefix}-{i}", i)).ToDictionary(n => n.Name, StringComparer.Ordinal);
        stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        pods = new Informer(client, ApiResource.Pods, null, OnPodAsync);
        nodeInformer = new Informer(client, ApiResource.Nodes, null, OnNodeAsync);
    }

    public IReadOnlyCollection<SimulatedNode> Nodes => nodes.Values;

    /// <summary>Completes when the nodes stop (disposed or cancelled); faults if a loop fails for good.</summary>
    public Task Completion => running;

    /// <summary>Registers <paramref name="count"/> nodes and their leases, then keeps them alive until disposed or cancelled.</summary>
    public static async Task<SimulatedNodes> StartAsync(KubeClient client, int count, SimulatedNodeOptions? options = null,
        CancellationToken token = default, TimeProvider? clock = null, ILogger? logger = null)
    {
        var simulated = new SimulatedNodes(client, count, options ?? new SimulatedNodeOptions(), clock ?? TimeProvider.System,
            logger ?? NullLogger.Instance, token);
        try
        {
            await simulated.RegisterAsync(simulated.stop.Token).ConfigureAwait(false);
            simulated.pods.Start();
            simulated.nodeInformer.Start();
            await Task.WhenAll(simulated.pods.WaitForSyncAsync(simulated.stop.Token), simulated.nodeInformer.WaitForSyncAsync(simulated.stop.Token))
                .ConfigureAwait(false);
            simulated.running = Task.WhenAll(
                simulated.RenewLeasesAsync(simulated.stop.Token),
                simulated.RunPodWorkersAsync(simulated.stop.Token),
                simulated.RunNodeStatusWorkerAsync(simulated.stop.Token));
            return simulated;
        }
        catch
        {
            await simulated.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops or restarts the "kubelet" of one node: a stopped node neither renews its lease nor handles pods.</summary>
    public void SetAlive(string name, bool alive)
    {
        var node = nodes[name];
        node.Alive = alive;
        if (alive)
        {
            // Catch up at once, as a restarted kubelet does: renew, repair node status, sync its pods.
            nodeRepairs.Writer.TryWrite(name);
            foreach (var pod in pods.List())
            {
                if ((pod.Str("spec", "nodeName") ?? "") == name)
                    EnqueuePod(pod);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await running.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        await pods.DisposeAsync().ConfigureAwait(false);
        await nodeInformer.DisposeAsync().ConfigureAwait(false);
        stop.Dispose();
    }

    private async Task RegisterAsync(CancellationToken token)
    {
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = token };
        await Parallel.ForEachAsync(nodes.Values, parallel, async (node, ct) =>
        {
            var uid = await RegisterNodeAsync(node, ct).ConfigureAwait(false);
            await CreateLeaseAsync(node, uid, ct).ConfigureAwait(false);
        }).ConfigureAwait(false);
        logger.LogInformation("registered {Count} simulated nodes", nodes.Count);
    }

    /// <summary>Creates the Node; one left from an earlier run is taken over (its status set Ready again by the node worker).</summary>
    private async Task<string> RegisterNodeAsync(SimulatedNode node, CancellationToken token)
    {
        try
        {
            var created = await client.CreateAsync(ApiResource.Nodes, null, NodeManifests.Node(node, options, clock.GetUtcNow()), token: token)
                .ConfigureAwait(false);
            return created.Str("metadata", "uid") ?? "";
        }
        catch (KubeApiException e) when (e.Code == 409)
        {
            var existing = await client.GetAsync(ApiResource.Nodes, null, node.Name, token).ConfigureAwait(false);
            nodeRepairs.Writer.TryWrite(node.Name);
            return existing.Str("metadata", "uid") ?? "";
        }
    }
}
