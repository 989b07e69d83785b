using System.CommandLine;
using Orchestrator.Server.Hosting;

namespace Orchestrator.Server.Commands;

/// <summary>`orchestrator up`: a whole local cluster in the foreground until Ctrl-C.</summary>
public static class UpCommand
{
    public static Command Create()
    {
        var replicas = new Option<int>("--replicas") { Description = "Number of replicas: 1, 3 or 5.", DefaultValueFactory = _ => 3 };
        var data = new Option<string>("--data") { Description = "Data directory of the cluster.", DefaultValueFactory = _ => ".data" };
        var command = new Command("up", "Start a local cluster of replicas on 127.0.0.1 and run until Ctrl-C.") { replicas, data };
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
            await using var cluster = new LocalCluster(directory, layout);
            await cluster.StartAsync(token);
            foreach (var replica in layout.Replicas)
                Console.WriteLine($"  {replica.Name}: raft {replica.Raft}, store gRPC http://{replica.Grpc}, metrics http://{replica.Grpc}/metrics (h2c)");
            Console.WriteLine($"Data in {directory}. Ctrl-C stops the cluster.");
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            catch (OperationCanceledException)
            {
            }
            return 0;
        });
        return command;
    }
}
