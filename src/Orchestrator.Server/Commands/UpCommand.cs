using System.CommandLine;
using Orchestrator.Server.Hosting;

namespace Orchestrator.Server.Commands;

/// <summary>`orchestrator up`: a whole local cluster, in the foreground until Ctrl-C, or detached.</summary>
public static class UpCommand
{
    public static Command Create()
    {
        var replicas = new Option<int>("--replicas") { Description = "Number of replicas: 1, 3 or 5.", DefaultValueFactory = _ => 3 };
        var data = new Option<string>("--data") { Description = "Data directory of the cluster.", DefaultValueFactory = _ => ".data" };
        var detach = new Option<bool>("--detach") { Description = "Return once the cluster is ready and leave it running (stop it with `orchestrator down`)." };
        var simulatedNodes = new Option<int>("--simulated-nodes") { Description = "Also start this many simulated nodes (an `orchestrator node --simulated` process); 0 for none.", DefaultValueFactory = _ => 2 };
        var command = new Command("up", "Start a local cluster of replicas on 127.0.0.1.") { replicas, data, detach, simulatedNodes };
        command.SetAction(async (result, token) =>
        {
            var count = result.GetValue(replicas);
            if (count is not (1 or 3 or 5))
            {
                Console.Error.WriteLine("--replicas must be 1, 3 or 5.");
                return 2;
            }
            var directory = Path.GetFullPath(result.GetValue(data)!);
            var layout = LocalClusterLayout.LoadOrCreate(directory, count);
            var cluster = new LocalCluster(directory, layout);
            try
            {
                await cluster.StartAsync(token);
            }
            catch (InvalidOperationException e)
            {
                Console.Error.WriteLine(e.Message);
                return 1;
            }
            if (result.GetValue(simulatedNodes) is > 0 and var nodeCount)
            {
                await cluster.StartSimulatedNodesAsync(nodeCount, token);
                Console.WriteLine($"Starting {nodeCount} simulated node(s) sim-0..; log {Path.Combine(directory, "simulated-nodes.log")}");
            }
            Console.WriteLine($"Cluster ready: {count} replica(s).");
            foreach (var replica in layout.Replicas)
                Console.WriteLine($"  {replica.Name}: API {replica.ApiUri}, raft {replica.Raft}, metrics http://{replica.Grpc}/metrics (h2c) and {replica.ApiUri}metrics, log {Path.Combine(directory, replica.Name, "server.log")}");
            Console.WriteLine();
            Console.WriteLine($"  export KUBECONFIG={cluster.KubeconfigPath}");
            Console.WriteLine("  kubectl get namespaces                      # contexts replica-1..N talk to each replica");
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
            await cluster.StopAsync(TimeSpan.FromSeconds(10));
            return 0;
        });
        return command;
    }
}
