using System.CommandLine;
using Orchestrator.Client;
using Orchestrator.Node.Agent;
using Orchestrator.Node.Images;
using Orchestrator.Node.Simulated;

namespace Orchestrator.Server.Commands;

/// <summary>
/// `orchestrator node --name N --root DIR --pod-cidr CIDR ...`: a real node agent running pods with runc;
/// `orchestrator node --simulated --count N`: simulated kubelets (like kwok). Both run until Ctrl-C.
/// </summary>
public static class NodeCommand
{
    public static Command Create()
    {
        var simulated = new Option<bool>("--simulated") { Description = "Run simulated nodes (no containers) instead of a real agent." };
        var name = new Option<string?>("--name") { Description = "Node name of the real agent (default: the host name)." };
        var root = new Option<string>("--root") { Description = "State directory of the real agent.", DefaultValueFactory = _ => "/var/lib/orchestrator/node" };
        var podCidr = new Option<string>("--pod-cidr") { Description = "Pod address range of this node.", DefaultValueFactory = _ => "10.88.0.0/24" };
        var bridge = new Option<string>("--bridge") { Description = "Bridge the pods' veths attach to.", DefaultValueFactory = _ => "orch0" };
        var registry = new Option<string?>("--registry") { Description = "Registry for image names without one (default: docker.io)." };
        var insecure = new Option<string[]>("--insecure-registry") { Description = "Registry reached over plain HTTP (repeatable).", AllowMultipleArgumentsPerToken = true };
        var nodeIp = new Option<string>("--node-ip") { Description = "InternalIP of the node.", DefaultValueFactory = _ => "127.0.0.1" };
        var clientCa = new Option<string?>("--client-ca-file")
        {
            Description = "CA (PEM) whose client certificates may use the agent's HTTPS endpoint (default: the kubeconfig's cluster CA).",
        };
        var cgroupParent = new Option<string>("--cgroup-parent") { Description = "Cgroup under which pods run (one per agent on a shared host).", DefaultValueFactory = _ => "orchestrator" };
        var stopPods = new Option<bool>("--stop-pods-on-exit")
        {
            Description = "On Ctrl-C/SIGTERM stop the pods' containers and remove their namespaces and the bridge (default: pods keep running, as with kubelet).",
        };
        var count = new Option<int>("--count") { Description = "Number of simulated nodes.", DefaultValueFactory = _ => 1 };
        var prefix = new Option<string>("--name-prefix") { Description = "Nodes are named PREFIX-0, PREFIX-1, ...", DefaultValueFactory = _ => "sim" };
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "Kubeconfig of the cluster (default: $KUBECONFIG, then ~/.kube/config)." };
        var context = new Option<string?>("--context") { Description = "Kubeconfig context to use." };
        var cpu = new Option<string>("--cpu") { Description = "Capacity and allocatable cpu of each node.", DefaultValueFactory = _ => "8" };
        var memory = new Option<string>("--memory") { Description = "Capacity and allocatable memory of each node.", DefaultValueFactory = _ => "32Gi" };
        var maxPods = new Option<int>("--max-pods") { Description = "Pods each node accepts.", DefaultValueFactory = _ => 110 };
        var renew = new Option<double>("--lease-renew-interval") { Description = "Seconds between lease renewals of each node.", DefaultValueFactory = _ => 10 };
        var command = new Command("node", "Run a node agent that runs pods with runc; with --simulated, N simulated nodes that register, heartbeat and run pods.")
        {
            simulated, count, prefix, kubeconfig, context, cpu, memory, maxPods, renew, name, root, podCidr, bridge, registry, insecure, nodeIp, cgroupParent, stopPods, clientCa,
        };
        command.SetAction(async (result, token) =>
        {
            var path = result.GetValue(kubeconfig) ?? Environment.GetEnvironmentVariable("KUBECONFIG")?.Split(':')[0]
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
            using var client = await KubeClient.FromKubeconfigAsync(path, result.GetValue(context), new KubeClientOptions { UserAgent = "orchestrator-node/1.0", FailOver = true }, token);
            if (!result.GetValue(simulated))
            {
                if (!OperatingSystem.IsLinux())
                {
                    Console.Error.WriteLine("Real node agents need Linux with runc; use --simulated.");
                    return 2;
                }
                var caFile = result.GetValue(clientCa);
                if (caFile is null && client.CertificateAuthorityPem is null)
                {
                    Console.Error.WriteLine("The agent's HTTPS endpoint accepts only client certificates from the cluster CA, and the kubeconfig names none: pass --client-ca-file.");
                    return 2;
                }
                var agentOptions = new NodeAgentOptions
                {
                    NodeName = result.GetValue(name) ?? Environment.MachineName.ToLowerInvariant(),
                    RootDirectory = Path.GetFullPath(result.GetValue(root)!),
                    PodCidr = result.GetValue(podCidr)!,
                    BridgeName = result.GetValue(bridge)!,
                    InternalIp = result.GetValue(nodeIp)!,
                    CgroupParent = result.GetValue(cgroupParent)!,
                    ClientCaFile = caFile is null ? null : Path.GetFullPath(caFile),
                    NamespacePrefix = result.GetValue(bridge)! + "-",
                    MaxPods = result.GetValue(maxPods),
                    StopPodsOnExit = result.GetValue(stopPods),
                    LeaseRenewInterval = TimeSpan.FromSeconds(result.GetValue(renew)),
                    Registry = new RegistryOptions
                    {
                        DefaultRegistry = result.GetValue(registry) ?? new RegistryOptions().DefaultRegistry,
                        InsecureRegistries = result.GetValue(insecure) ?? [],
                    },
                };
                using var loggerFactory = LoggerFactory.Create(logging => logging
                    .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; })
                    .SetMinimumLevel(LogLevel.Information));
                await using var agent = await NodeAgent.StartAsync(client, agentOptions, token, logger: loggerFactory.CreateLogger<NodeAgent>());
                Console.WriteLine($"node {agent.NodeName} registered (pods {agentOptions.PodCidr} on {agentOptions.BridgeName}); Ctrl-C stops the agent, "
                    + (agentOptions.StopPodsOnExit ? "its pods' containers and the pod network." : "pods keep running."));
                try
                {
                    await agent.Completion.WaitAsync(token);
                }
                catch (OperationCanceledException)
                {
                }
                return 0;
            }
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
