using System.Diagnostics;
using Orchestrator.Testing;

namespace Orchestrator.Chaos.Nemesis;

/// <summary>
/// A network the run makes for itself, so partitions are real packet loss between real addresses: one network
/// namespace per replica (its own address on a bridge in the root namespace, where the clients and the checker stay),
/// iptables rules inside each namespace to cut links or drop a share of packets, and NAT rules that send each
/// replica's connections to its peers through the fault proxy (which listens on a second bridge address, so peer
/// traffic and client traffic are told apart by source). All removed on dispose. Needs root.
/// </summary>
public sealed class ChaosNetwork : IAsyncDisposable
{
    private readonly string id = Convert.ToHexString(BitConverter.GetBytes(Random.Shared.Next()))[..4].ToLowerInvariant();
    private readonly int subnet = Random.Shared.Next(0, 256);
    private readonly int size;
    private bool bridgeMade;
    private readonly List<string> namespaces = [];

    private ChaosNetwork(int size) => this.size = size;

    private string Bridge => $"chb{id}";

    public string Namespace(int replica) => $"chaos-{id}-{replica}";

    public string Address(int replica) => $"10.250.{subnet}.{10 + replica}";

    /// <summary>The root namespace's address on the bridge, where clients come from.</summary>
    public string Gateway => $"10.250.{subnet}.1";

    /// <summary>The address the fault proxy listens on; peer links arrive from it.</summary>
    public string ProxyAddress => $"10.250.{subnet}.2";

    public ReplicaPlacement Placement(int replica) => new(Address(replica), ["ip", "netns", "exec", Namespace(replica)]);

    public static async Task<ChaosNetwork> CreateAsync(int size, CancellationToken token)
    {
        if (Environment.UserName != "root")
            throw new InvalidOperationException("partitions need network namespaces and iptables: run as root");
        var network = new ChaosNetwork(size);
        try
        {
            await network.SetUpAsync(token);
            return network;
        }
        catch
        {
            await network.DisposeAsync();
            throw;
        }
    }

    private async Task SetUpAsync(CancellationToken token)
    {
        await RunAsync(token, "ip", "link", "add", Bridge, "type", "bridge");
        bridgeMade = true;
        await RunAsync(token, "ip", "addr", "add", $"{Gateway}/24", "dev", Bridge);
        await RunAsync(token, "ip", "addr", "add", $"{ProxyAddress}/24", "dev", Bridge);
        await RunAsync(token, "ip", "link", "set", Bridge, "up");
        for (var i = 1; i <= size; i++)
        {
            var ns = Namespace(i);
            await RunAsync(token, "ip", "netns", "add", ns);
            namespaces.Add(ns);
            await RunAsync(token, "ip", "link", "add", $"chv{id}{i}", "type", "veth", "peer", "name", "eth0", "netns", ns);
            await RunAsync(token, "ip", "link", "set", $"chv{id}{i}", "master", Bridge, "up");
            await RunAsync(token, "ip", "netns", "exec", ns, "ip", "addr", "add", $"{Address(i)}/24", "dev", "eth0");
            await RunAsync(token, "ip", "netns", "exec", ns, "ip", "link", "set", "eth0", "up");
            await RunAsync(token, "ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
        }
    }

    /// <summary>Connections replica <paramref name="from"/> opens to <paramref name="port"/> of replica <paramref name="to"/> go to the proxy's port instead.</summary>
    public Task RouteAsync(int from, int to, int port, int proxyPort, CancellationToken token) =>
        RunAsync(token, "ip", "netns", "exec", Namespace(from), "iptables", "-w", "-t", "nat", "-A", "OUTPUT", "-d", Address(to), "-p", "tcp",
            "--dport", port.ToString(), "-j", "DNAT", "--to-destination", $"{ProxyAddress}:{proxyPort}");

    /// <summary>
    /// Cuts every link between replicas i and j for which <paramref name="connected"/> is false (both directions): in
    /// i, what comes from j directly, and every packet of a connection i opened to j (through the proxy or not).
    /// </summary>
    public async Task CutAsync(Func<int, int, bool> connected, CancellationToken token)
    {
        for (var i = 1; i <= size; i++)
        {
            for (var j = 1; j <= size; j++)
            {
                if (i == j || connected(i, j))
                    continue;
                await InAsync(i, token, "iptables", "-w", "-A", "INPUT", "-s", Address(j), "-j", "DROP");
                await InAsync(i, token, "iptables", "-w", "-A", "OUTPUT", "-m", "conntrack", "--ctorigdst", Address(j), "-j", "DROP");
            }
        }
    }

    /// <summary>Drops each packet between replicas (both ways, client traffic spared) with the given probability.</summary>
    public async Task LoseAsync(double probability, CancellationToken token)
    {
        var p = probability.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 1; i <= size; i++)
        {
            await InAsync(i, token, "iptables", "-w", "-A", "INPUT", "-s", ProxyAddress, "-m", "statistic", "--mode", "random", "--probability", p, "-j", "DROP");
            await InAsync(i, token, "iptables", "-w", "-A", "OUTPUT", "-d", ProxyAddress, "-m", "statistic", "--mode", "random", "--probability", p, "-j", "DROP");
        }
    }

    public async Task HealAsync(CancellationToken token)
    {
        for (var i = 1; i <= size; i++)
        {
            await InAsync(i, token, "iptables", "-w", "-F", "INPUT");
            await InAsync(i, token, "iptables", "-w", "-F", "OUTPUT");
        }
    }

    private Task InAsync(int replica, CancellationToken token, params string[] command) =>
        RunAsync(token, ["ip", "netns", "exec", Namespace(replica), .. command]);

    public async ValueTask DisposeAsync()
    {
        foreach (var ns in namespaces)
            await TryAsync("ip", "netns", "del", ns);
        if (bridgeMade)
            await TryAsync("ip", "link", "del", Bridge);
    }

    private static async Task TryAsync(params string[] command)
    {
        try
        {
            await RunAsync(CancellationToken.None, command);
        }
        catch (InvalidOperationException)
        {
            // Cleaning up what may be gone already.
        }
    }

    private static async Task RunAsync(CancellationToken token, params string[] command)
    {
        var info = new ProcessStartInfo(command[0]) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in command.Skip(1))
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync(token);
        await process.StandardOutput.ReadToEndAsync(token);
        await process.WaitForExitAsync(token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{string.Join(' ', command)}: exit {process.ExitCode}: {(await error).Trim()}");
    }
}
