using System.CommandLine;
using Orchestrator.Server.Hosting;

namespace Orchestrator.Server.Commands;

/// <summary>`orchestrator down`: stops a local cluster started with `up --detach`.</summary>
public static class DownCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Data directory of the cluster.", DefaultValueFactory = _ => ".data" };
        var command = new Command("down", "Stop the local cluster running from a data directory.") { data };
        command.SetAction(async (result, token) =>
        {
            var directory = Path.GetFullPath(result.GetValue(data)!);
            if (!LocalClusterLayout.Exists(directory))
            {
                Console.Error.WriteLine($"No cluster in {directory}.");
                return 1;
            }
            // Node agents stop their pods' containers (a few seconds' grace) before they exit.
            var stopped = await new LocalCluster(directory, LocalClusterLayout.Load(directory)).StopAsync(TimeSpan.FromSeconds(15));
            Console.WriteLine(stopped.ToString());
            return 0;
        });
        return command;
    }
}
