using System.CommandLine;
using Orchestrator.Server.Hosting;

namespace Orchestrator.Server.Commands;

/// <summary>`orchestrator up`: a whole local cluster, in the foreground until Ctrl-C, or detached.</summary>
public static class UpCommand
{
    private const int FallbackSimulatedNodes = 2;

    private static readonly TimeSpan NodesReadyTimeout = TimeSpan.FromSeconds(60);

    public static Command Create()
    {
        var replicas = new Option<int>("--replicas") { Description = "Number of replicas: 1, 3 or 5.", DefaultValueFactory = _ => 3 };
        var data = new Option<string>("--data") { Description = "Data directory of the cluster.", DefaultValueFactory = _ => ".data" };
        var detach = new Option<bool>("--detach") { Description = "Return once the cluster is ready and leave it running (stop it with `orchestrator down`)." };
        var nodes = new Option<int>("--nodes")
        {
            Description = "Real node agents running pods with runc (as root), with a local registry holding busybox; 0 for none.",
            DefaultValueFactory = _ => 1,
        };
        var simulatedNodes = new Option<int?>("--simulated-nodes")
        {
            Description = $"Simulated nodes (an `orchestrator node --simulated` process); default {FallbackSimulatedNodes} when no real node runs, else 0.",
        };
        var command = new Command("up", "Start a local cluster of replicas and nodes on 127.0.0.1.") { replicas, data, detach, nodes, simulatedNodes };
        command.SetAction(async (result, token) =>
        {
            var count = result.GetValue(replicas);
            if (count is not (1 or 3 or 5))
            {
                Console.Error.WriteLine("--replicas must be 1, 3 or 5.");
                return 2;
            }
            var realNodes = result.GetValue(nodes);
            if (realNodes < 0 || result.GetValue(simulatedNodes) < 0)
            {
                Console.Error.WriteLine("--nodes and --simulated-nodes cannot be negative.");
                return 2;
            }
            if (realNodes > 0 && (OperatingSystem.IsLinux() ? await LocalNodeAgents.UnsupportedAsync(token) : "real nodes need Linux") is { } reason)
            {
                Console.WriteLine($"No real nodes: {reason}; using simulated nodes instead.");
                realNodes = 0;
            }
            var directory = Path.GetFullPath(result.GetValue(data)!);
            var layout = LocalClusterLayout.LoadOrCreate(directory, count);
            if (realNodes > 0)
                layout = layout.WithNodes(directory, realNodes);
            var cluster = new LocalCluster(directory, layout);
            var started = DateTime.UtcNow;
            try
            {
                await cluster.StartAsync(token);
            }
            catch (InvalidOperationException e)
            {
                Console.Error.WriteLine(e.Message);
                return 1;
            }
            int simulated;
            try
            {
                realNodes = await StartNodesAsync(cluster, realNodes, token);
                simulated = result.GetValue(simulatedNodes) ?? (realNodes > 0 ? 0 : FallbackSimulatedNodes);
                if (simulated > 0)
                    await cluster.StartSimulatedNodesAsync(simulated, token);
            }
            catch (Exception e) when (e is OperationCanceledException or InvalidOperationException)
            {
                if (e is InvalidOperationException)
                    Console.Error.WriteLine(e.Message);
                Console.WriteLine((await cluster.StopAsync(TimeSpan.FromSeconds(15))).ToString());
                return e is OperationCanceledException ? 130 : 1;
            }

            Console.WriteLine($"Cluster ready in {(DateTime.UtcNow - started).TotalSeconds:0.0} s: {count} replica(s), {realNodes} real node(s), {simulated} simulated node(s).");
            foreach (var replica in layout.Replicas)
                Console.WriteLine($"  {replica.Name}: API {replica.ApiUri}, raft {replica.Raft}, internal gRPC {replica.Grpc} (replicas only), metrics {replica.ApiUri}metrics, log {Path.Combine(directory, replica.Name, "server.log")}");
            if (realNodes > 0 && OperatingSystem.IsLinux())
            {
                var registry = cluster.Registry;
                Console.WriteLine($"  registry: {registry.Address} (busybox:latest, busybox:1), log {registry.LogPath}");
                foreach (var node in cluster.NodeAgents.Nodes.Take(realNodes))
                    Console.WriteLine($"  {node.Name}: real node, pods {node.PodCidr} on bridge {node.Bridge}, log {cluster.NodeAgents.LogPath(node)}");
            }
            if (simulated > 0)
                Console.WriteLine($"  sim-0..sim-{simulated - 1}: simulated nodes, log {cluster.SimulatedNodesLog}");
            Console.WriteLine();
            Console.WriteLine($"  export KUBECONFIG={cluster.KubeconfigPath}");
            Console.WriteLine("  kubectl get nodes                           # contexts replica-1..N talk to each replica");
            if (realNodes > 0)
                Console.WriteLine("  kubectl create deployment web --image=busybox -- sleep 3600");
            if (result.GetValue(detach))
            {
                Console.WriteLine($"Running in the background; stop it with: orchestrator down --data {directory}");
                return 0;
            }
            Console.WriteLine("Ctrl-C stops the cluster.");
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            catch (OperationCanceledException)
            {
            }
            Console.WriteLine((await cluster.StopAsync(TimeSpan.FromSeconds(15))).ToString());
            return 0;
        });
        return command;
    }

    /// <summary>Starts the registry and the real nodes; when they fail, says why, cleans up and returns 0 (simulated nodes instead).</summary>
    private static async Task<int> StartNodesAsync(LocalCluster cluster, int count, CancellationToken token)
    {
        if (count == 0 || !OperatingSystem.IsLinux())
            return 0;
        try
        {
            if (count > 1 && LocalNodeAgents.EnableForwarding())
                Console.WriteLine("Enabled net.ipv4.ip_forward so that pods on different nodes reach each other.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.WriteLine($"Could not enable net.ipv4.ip_forward ({e.Message}): pods reach only pods on their own node.");
        }
        try
        {
            await cluster.StartNodeAgentsAsync(count, NodesReadyTimeout, token);
            return count;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Console.WriteLine($"No real nodes: {e.Message}; using simulated nodes instead.");
            await cluster.StopNodeAgentsAsync();
            return 0;
        }
    }
}
