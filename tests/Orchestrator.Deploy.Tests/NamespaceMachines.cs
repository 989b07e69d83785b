using System.Diagnostics;
using System.Text;

namespace Orchestrator.Deploy.Tests;

/// <summary>
/// "Machines" for the install scripts: each a network namespace with its own address on a bridge the test makes (the
/// test itself stays in the root namespace, at the bridge's gateway address) and its own root folder. Processes the
/// scripts started (their pid files under ROOT/run) are killed, and the namespaces, bridge and folders removed, on
/// dispose. Needs root.
/// </summary>
public sealed class NamespaceMachines : IAsyncDisposable
{
    private readonly string id = Guid.NewGuid().ToString("N")[..6];
    private readonly int subnet = Random.Shared.Next(0, 256);
    private readonly List<string> names = [];
    private bool bridgeMade;

    private NamespaceMachines(string folder) => Folder = folder;

    /// <summary>Where every machine's root folder lives.</summary>
    public string Folder { get; }

    public string Gateway => $"10.251.{subnet}.1";

    /// <summary>A short prefix unique to this run, for names that are global to the host (bridges, cgroups, pod namespaces).</summary>
    public string Id => id;

    public IReadOnlyList<string> Names => names;

    public string Namespace(string machine) => $"dm-{id}-{machine}";

    public string Address(string machine) => $"10.251.{subnet}.{11 + names.IndexOf(machine)}";

    public string Root(string machine) => Path.Combine(Folder, machine);

    public static async Task<NamespaceMachines> CreateAsync(IEnumerable<string> machines)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"orchestrator-machines-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var network = new NamespaceMachines(folder);
        try
        {
            await RunAsync("ip", "link", "add", network.Bridge, "type", "bridge");
            network.bridgeMade = true;
            await RunAsync("ip", "addr", "add", $"{network.Gateway}/24", "dev", network.Bridge);
            await RunAsync("ip", "link", "set", network.Bridge, "up");
            foreach (var machine in machines)
                await network.AddAsync(machine);
            return network;
        }
        catch
        {
            await network.DisposeAsync();
            throw;
        }
    }

    private string Bridge => $"dmb{id}";

    private async Task AddAsync(string machine)
    {
        names.Add(machine);
        var ns = Namespace(machine);
        await RunAsync("ip", "netns", "add", ns);
        var veth = $"dmv{id}{names.Count}";
        await RunAsync("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns);
        await RunAsync("ip", "link", "set", veth, "master", Bridge, "up");
        await RunAsync("ip", "netns", "exec", ns, "ip", "addr", "add", $"{Address(machine)}/24", "dev", "eth0");
        await RunAsync("ip", "netns", "exec", ns, "ip", "link", "set", "eth0", "up");
        await RunAsync("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
        await RunAsync("ip", "netns", "exec", ns, "ip", "route", "add", "default", "via", Gateway);
        Directory.CreateDirectory(Root(machine));
    }

    /// <summary>
    /// Runs a command on a machine (in its network namespace) and returns its output. nsenter, not `ip netns exec`:
    /// that one remounts /sys for the namespace, which hides the cgroup mount runc needs on a node.
    /// </summary>
    public Task<string> RunOnAsync(string machine, TimeSpan timeout, params string[] command) =>
        RunAsync(timeout, ["nsenter", $"--net=/run/netns/{Namespace(machine)}", "--", .. command]);

    /// <summary>Kills every process a machine's scripts started (SIGKILL to each process group of ROOT/run/*.pid): the machine "fails".</summary>
    public void Kill(string machine) => Signal(machine, "KILL");

    private void Signal(string machine, string signal)
    {
        var run = Path.Combine(Root(machine), "run");
        if (!Directory.Exists(run))
            return;
        foreach (var pidFile in Directory.GetFiles(run, "*.pid"))
        {
            if (int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid))
            {
                using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, "--", "-" + pid]) { RedirectStandardError = true, UseShellExecute = false })!;
                kill.WaitForExit(5000);
            }
        }
    }

    private static bool AnyAlive(string root)
    {
        var run = Path.Combine(root, "run");
        return Directory.Exists(run) && Directory.GetFiles(run, "*.pid").Any(f =>
            int.TryParse(File.ReadAllText(f).Trim(), out var pid) && Directory.Exists($"/proc/{pid}"));
    }

    public async ValueTask DisposeAsync()
    {
        // A node agent stops its pods on SIGTERM (it runs with --stop-pods-on-exit here); then whatever is left is killed.
        foreach (var machine in names)
            Signal(machine, "TERM");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (names.Any(m => AnyAlive(Root(m))) && DateTime.UtcNow < deadline)
            await Task.Delay(200);
        foreach (var machine in names)
            Signal(machine, "KILL");
        foreach (var machine in names)
            await TryAsync("ip", "netns", "del", Namespace(machine));
        if (bridgeMade)
            await TryAsync("ip", "link", "del", Bridge);
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static async Task TryAsync(params string[] command)
    {
        try
        {
            await RunAsync(command);
        }
        catch (InvalidOperationException)
        {
        }
    }

    private static Task<string> RunAsync(params string[] command) => RunAsync(TimeSpan.FromSeconds(30), command);

    private static async Task<string> RunAsync(TimeSpan timeout, string[] command)
    {
        var info = new ProcessStartInfo(command[0]) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in command.Skip(1))
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        using var cancel = new CancellationTokenSource(timeout);
        var output = process.StandardOutput.ReadToEndAsync(cancel.Token);
        var error = process.StandardError.ReadToEndAsync(cancel.Token);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{string.Join(' ', command)}: still running after {timeout.TotalSeconds} s");
        }
        var text = new StringBuilder().Append(await output).Append(await error).ToString();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{string.Join(' ', command)}: exit {process.ExitCode}:\n{text.Trim()}");
        return text;
    }
}
