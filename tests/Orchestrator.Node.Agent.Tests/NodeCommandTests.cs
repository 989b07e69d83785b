using System.Diagnostics;
using System.Text;
using Orchestrator.Client;
using Orchestrator.Node.Runtime;
using Orchestrator.Testing;
using Xunit;

namespace Orchestrator.Node.Agent.Tests;

/// <summary>`orchestrator node` in real mode, as its own process against the shared cluster: registers, runs a pod, stops on Ctrl-C.</summary>
[Collection(AgentCollection.Name)]
public sealed class NodeCommandTests(AgentFixture fixture)
{
    [Fact]
    public async Task Orchestrator_node_registers_a_ready_node_and_runs_a_pod()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var name = "cli-" + suffix;
        var bridge = "oc" + suffix;
        var cgroupParent = "orch-cli-test-" + suffix;
        var root = Directory.CreateTempSubdirectory("orch-cli-agent-").FullName;
        var output = new StringBuilder();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "orchestrator.dll"), "node", "--name", name,
                     "--kubeconfig", fixture.Cluster.KubeconfigPath, "--context", fixture.Cluster.ContextOf(fixture.Cluster.Replicas[1]),
                     "--root", root, "--pod-cidr", $"10.251.{Random.Shared.Next(0, 256)}.0/24", "--bridge", bridge,
                     "--cgroup-parent", cgroupParent, "--registry", fixture.Registry.Address, "--insecure-registry", fixture.Registry.Address,
                     "--lease-renew-interval", "2" })
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        string Output() { lock (output) return output.ToString(); }
        try
        {
            await Eventually.HoldsAsync(async () =>
            {
                var node = await fixture.Client.GetAsync(ApiResource.Nodes, null, name);
                return node.Condition("Ready").Str("status") == "True";
            }, TimeSpan.FromSeconds(60), Output);

            var ns = await fixture.NamespaceAsync();
            var pod = fixture.Pod("cli-pod", "sleep 3600", image: "busybox:1");
            pod["spec"]!["nodeName"] = name;
            await fixture.Client.CreateAsync(ApiResource.Pods, ns, pod);
            var running = await fixture.WaitPodAsync(ns, "cli-pod", p => p.Str("status", "phase") == "Running");
            Assert.NotEqual("", running.Str("status", "podIP") ?? "");

            // Ctrl-C: the agent stops cleanly (pods are left running, as with kubelet).
            await ExternalCommand.RunAsync("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], CancellationToken.None);
            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await process.WaitForExitAsync(exit.Token);
            // System.CommandLine reports a Ctrl-C cancelled command as 130 (128 + SIGINT), like a shell.
            Assert.True(process.ExitCode is 0 or 130, $"exit {process.ExitCode}: {Output()}");
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
            // What the agent left running: its containers (via a runtime over the same state), namespaces, bridge, cgroups, files.
            await using (var runtime = new RuncRuntime(new RuntimeOptions { RootDirectory = Path.Combine(root, "runtime"), CgroupParent = cgroupParent }))
                await runtime.CleanUpOrphansAsync(CancellationToken.None);
            foreach (var line in (await ExternalCommand.RunAsync("ip", ["netns", "list"], CancellationToken.None)).StandardOutput.Split('\n'))
            {
                if (line.Split(' ')[0] is var netns && netns.StartsWith(bridge + "-", StringComparison.Ordinal))
                    await ExternalCommand.RunAsync("ip", ["netns", "del", netns], CancellationToken.None);
            }
            await ExternalCommand.RunAsync("ip", ["link", "del", "dev", bridge], CancellationToken.None);
            CgroupStats.RemoveEmpty("/sys/fs/cgroup", "/" + cgroupParent);
            Directory.Delete(root, recursive: true);
        }
    }
}
