using System.Diagnostics;
using Orchestrator.Client;
using Orchestrator.Testing;

namespace Orchestrator.E2E.Tests;

/// <summary>
/// A 3-replica cluster with short control-plane timings and simulated nodes in two separate
/// `orchestrator node --simulated` processes ("a": 2 nodes, "b": 1 node), so a test can stop one
/// group's lease renewals by killing its process.
/// </summary>
public sealed class ControlPlaneFixture : IAsyncLifetime
{
    public static readonly IReadOnlyList<string> FastControlPlane =
    [
        "--leader-elect-lease-duration", "3",
        "--leader-elect-renew-deadline", "2",
        "--leader-elect-retry-period", "0.5",
        "--node-monitor-grace-period", "5",
        "--default-toleration-seconds", "2",
    ];

    private readonly List<Process> nodeProcesses = [];

    public ApiCluster Cluster { get; private set; } = null!;

    public Kubectl Kubectl { get; private set; } = null!;

    public KubeClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cluster = await ApiCluster.StartAsync(3, serverArgs: FastControlPlane);
        Kubectl = Kubectl.For(Cluster);
        Client = await KubeClient.FromKubeconfigAsync(Cluster.KubeconfigPath, "replica-2");
        StartNodes("a", 2, "replica-1");
        StartNodes("b", 1, "replica-3");
        await Eventually.HoldsAsync(async () =>
        {
            var nodes = await Client.ListAsync(ApiResource.Nodes, null);
            return nodes.Items.Count(n => n["status"]?["conditions"]?.AsArray().Any(c => (string?)c!["type"] == "Ready" && (string?)c["status"] == "True") == true) == 3;
        }, TimeSpan.FromSeconds(60));
    }

    /// <summary>Kills the node process of a group: its nodes stop renewing their leases.</summary>
    public void StopNodes(string prefix)
    {
        var process = nodeProcesses.Single(p => p.StartInfo.ArgumentList.Contains(prefix));
        process.Kill(entireProcessTree: true);
        process.WaitForExit(10_000);
    }

    public async Task DisposeAsync()
    {
        // Also after a failed InitializeAsync (xunit still disposes): nothing this fixture started may outlive it.
        Client?.Dispose();
        foreach (var process in nodeProcesses)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
            process.Dispose();
        }
        if (Cluster is not null)
            await Cluster.DisposeAsync();
    }

    public async Task<string> OkAsync(string context, params string[] args)
    {
        var result = await Kubectl.RunAsync(context, args, timeout: TimeSpan.FromSeconds(120));
        Assert.True(result.Succeeded, $"kubectl {string.Join(' ', args)}: {result}");
        return result.Output;
    }

    public async Task<string> OkWithInputAsync(string context, string stdin, params string[] args)
    {
        var result = await Kubectl.RunAsync(context, args, stdin, TimeSpan.FromSeconds(120));
        Assert.True(result.Succeeded, $"kubectl {string.Join(' ', args)}: {result}");
        return result.Output;
    }

    public async Task<string> NamespaceAsync()
    {
        var name = $"t{Guid.NewGuid():N}"[..12];
        await OkAsync("replica-1", "create", "namespace", name);
        return name;
    }

    private void StartNodes(string prefix, int count, string context)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
                 {
                     Path.Combine(AppContext.BaseDirectory, "orchestrator.dll"), "node", "--simulated", "--count", count.ToString(),
                     "--name-prefix", prefix, "--kubeconfig", Cluster.KubeconfigPath, "--context", context, "--lease-renew-interval", "1",
                 })
            info.ArgumentList.Add(arg);
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        nodeProcesses.Add(process);
    }
}
