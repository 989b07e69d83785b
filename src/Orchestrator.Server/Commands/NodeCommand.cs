using System.CommandLine;
using Orchestrator.Client;
using Orchestrator.Node.Simulated;

namespace Orchestrator.Server.Commands;

/// <summary>`orchestrator node --simulated --count N`: simulated kubelets (like kwok) against a cluster, until Ctrl-C.</summary>
public static class NodeCommand
{
    public static Command Create()
    {
        var simulated = new Option<bool>("--simulated") { Description = "Run simulated nodes (no containers). Required: the real runtime is not built yet." };
        var count = new Option<int>("--count") { Description = "Number of simulated nodes.", DefaultValueFactory = _ => 1 };
        var prefix = new Option<string>("--name-prefix") { Description = "Nodes are named PREFIX-0, PREFIX-1, ...", DefaultValueFactory = _ => "sim" };
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "Kubeconfig of the cluster (default: $KUBECONFIG, then ~/.kube/config)." };
        var context = new Option<string?>("--context") { Description = "Kubeconfig context to use." };
        var cpu = new Option<string>("--cpu") { Description = "Capacity and allocatable cpu of each node.", DefaultValueFactory = _ => "8" };
        var memory = new Option<string>("--memory") { Description = "Capacity and allocatable memory of each node.", DefaultValueFactory = _ => "32Gi" };
        var maxPods = new Option<int>("--max-pods") { Description = "Pods each node accepts.", DefaultValueFactory = _ => 110 };
        var renew = new Option<double>("--lease-renew-interval") { Description = "Seconds between lease renewals of each node.", DefaultValueFactory = _ => 10 };
        var command = new Command("node", "Run node agents; with --simulated, N simulated nodes that register, heartbeat and run pods.")
        {
            simulated, count, prefix, kubeconfig, context, cpu, memory, maxPods, renew,
        };
        command.SetAction(async (result, token) =>
        {
            if (!result.GetValue(simulated))
            {
                Console.Error.WriteLine("Only simulated nodes exist so far: pass --simulated.");
                return 2;
            }
            var path = result.GetValue(kubeconfig) ?? Environment.GetEnvironmentVariable("KUBECONFIG")?.Split(':')[0]
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
            using var client = await KubeClient.FromKubeconfigAsync(path, result.GetValue(context), new KubeClientOptions { UserAgent = "orchestrator-node/1.0" }, token);
            var options = new SimulatedNodeOptions
            {
                NamePrefix = result.GetValue(prefix)!,
                Cpu = result.GetValue(cpu)!,
                Memory = result.GetValue(memory)!,
                Pods = result.GetValue(maxPods).ToString(System.Globalization.CultureInfo.InvariantCulture),
                LeaseRenewInterval = TimeSpan.FromSeconds(result.GetValue(renew)),
            };
            await using var nodes = await SimulatedNodes.StartAsync(client, result.GetValue(count), options, token);
            Console.WriteLine($"{nodes.Nodes.Count} simulated node(s) {options.NamePrefix}-0.. registered; Ctrl-C stops them.");
            try
            {
                await nodes.Completion.WaitAsync(token);
            }
            catch (OperationCanceledException)
            {
            }
            return 0;
        });
        return command;
    }
}
