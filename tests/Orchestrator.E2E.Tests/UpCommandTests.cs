using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Orchestrator.Testing;

namespace Orchestrator.E2E.Tests;

/// <summary>
/// The README's first command: `orchestrator up` makes a working cluster and kubeconfig, with simulated or real nodes
/// (as root: runc containers, a local registry holding busybox); `down` stops it and leaves nothing behind.
/// </summary>
public sealed class UpCommandTests : IDisposable
{
    private readonly string data = Path.Combine(Path.GetTempPath(), "orchestrator-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task UpDetachedThenKubectlOnEveryContextThenDown()
    {
        var up = await OrchestratorAsync("up", "--data", data, "--detach", "--nodes", "0");
        try
        {
            Assert.True(up.ExitCode == 0, up.Output);
            Assert.Contains(": 3 replica(s), 0 real node(s), 2 simulated node(s).", up.Output);
            Assert.Contains($"export KUBECONFIG={Path.Combine(data, "kubeconfig")}", up.Output);

            var home = Path.Combine(data, "home");
            Directory.CreateDirectory(home);
            var kubectl = new Kubectl(Path.Combine(data, "kubeconfig"), home);
            foreach (var context in new[] { "replica-1", "replica-2", "replica-3" })
            {
                var result = await kubectl.RunAsync(context, "create", "configmap", $"from-{context}");
                Assert.True(result.Succeeded, result.ToString());
            }
            var listed = await kubectl.RunAsync("replica-2", "get", "configmaps", "-o", "name");
            // Every namespace also holds kube-root-ca.crt (the root-CA publisher's, as in kube), present or about to be.
            Assert.Equal(["configmap/from-replica-1", "configmap/from-replica-2", "configmap/from-replica-3"],
                listed.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(line => line != "configmap/kube-root-ca.crt"));

            // Without real nodes `up` starts two simulated ones, so a deployment runs right away.
            var deployment = await kubectl.RunAsync("replica-1", "create", "deployment", "hello", "--image=nginx", "--replicas=2");
            Assert.True(deployment.Succeeded, deployment.ToString());
            var rollout = await kubectl.RunAsync("replica-3", ["rollout", "status", "deployment/hello", "--timeout=90s"], timeout: TimeSpan.FromSeconds(120));
            Assert.True(rollout.Succeeded, rollout.ToString());
            var nodes = await kubectl.RunAsync("replica-2", "get", "nodes", "-o", "name");
            Assert.Equal("node/sim-0\nnode/sim-1\n", nodes.Output);

            var again = await OrchestratorAsync("up", "--data", data, "--detach", "--nodes", "0");
            Assert.NotEqual(0, again.ExitCode); // one cluster per data directory
            Assert.Contains("already running", again.Output);
        }
        finally
        {
            var down = await OrchestratorAsync("down", "--data", data);
            Assert.True(down.ExitCode == 0, down.Output);
            Assert.Contains("Stopped 3 replica(s).", down.Output);
        }
        var pids = Directory.GetFiles(data, "*.pid");
        Assert.Empty(pids);
    }

    [Fact]
    public async Task UpWithTwoRealNodesRunsBusyboxFromTheLocalRegistryThenDownLeavesNothing()
    {
        var up = await OrchestratorAsync("up", "--data", data, "--detach", "--replicas", "3", "--nodes", "2");
        var pids = new List<int>();
        var bridges = new List<string>();
        var downDone = false;
        try
        {
            Assert.True(up.ExitCode == 0, up.Output);
            Assert.Contains(": 3 replica(s), 2 real node(s), 0 simulated node(s).", up.Output); // not the simulated fallback
            pids.AddRange(Directory.GetFiles(data, "*.pid").Select(f => int.Parse(File.ReadAllText(f), CultureInfo.InvariantCulture)));
            Assert.Equal(6, pids.Count); // 3 replicas, 2 agents, the registry
            using (var layout = JsonDocument.Parse(File.ReadAllText(Path.Combine(data, "cluster.json"))))
                bridges.AddRange(layout.RootElement.GetProperty("Nodes").EnumerateArray().Select(n => n.GetProperty("Bridge").GetString()!));
            Assert.Equal(2, bridges.Count);

            var home = Path.Combine(data, "home");
            Directory.CreateDirectory(home);
            var kubectl = new Kubectl(Path.Combine(data, "kubeconfig"), home);
            var ready = await kubectl.RunAsync("replica-2", "get", "nodes", "-o",
                "jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type==\"Ready\")].status} {end}");
            Assert.Equal("node-1=True node-2=True ", ready.Output);

            // `busybox` resolves against the cluster's registry, which `up` filled with the project's busybox image.
            var create = await kubectl.RunAsync("replica-1", "create", "deployment", "web", "--image=busybox", "--replicas=2", "--", "sleep", "3600");
            Assert.True(create.Succeeded, create.ToString());
            KubectlResult? pods = null;
            await Eventually.HoldsAsync(async () =>
            {
                pods = await kubectl.RunAsync("replica-3", "get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].status.phase}");
                return pods.Output == "Running Running";
            }, TimeSpan.FromSeconds(90), () => pods?.ToString() ?? "");
            var names = await kubectl.RunAsync("replica-1", "get", "pods", "-l", "app=web", "-o", "jsonpath={.items[0].metadata.name}");
            var exec = await kubectl.RunAsync("replica-1", "exec", names.Output, "--", "sh", "-c", "echo hello from $(hostname)");
            Assert.True(exec.Succeeded, exec.ToString());
            Assert.Equal($"hello from {names.Output}\n", exec.Output);

            var down = await OrchestratorAsync("down", "--data", data);
            downDone = true;
            Assert.True(down.ExitCode == 0, down.Output);
            Assert.Contains("Stopped 3 replica(s), 2 node agent(s) and the registry.", down.Output);
        }
        finally
        {
            if (!downDone)
                await OrchestratorAsync("down", "--data", data);
        }
        Assert.Empty(Directory.GetFiles(data, "*.pid"));
        Assert.All(pids, pid => Assert.False(IsAlive(pid), $"process {pid} is still running"));
        var namespaces = await RunAsync("ip", "netns", "list");
        foreach (var bridge in bridges)
        {
            Assert.False(Directory.Exists(Path.Combine("/sys/class/net", bridge)), $"bridge {bridge} is left");
            Assert.DoesNotContain(bridge + "-", namespaces);
        }
        foreach (var node in new[] { "node-1", "node-2" })
        {
            // The agents cleaned up after themselves (--stop-pods-on-exit); `down`'s sweep is the safety net for killed ones.
            var log = File.ReadAllText(Path.Combine(data, node, "agent.log"));
            Assert.True(log.Contains("removed the pods' namespaces and bridge", StringComparison.Ordinal), $"{node} did not clean up; its log ends:\n{log[Math.Max(0, log.Length - 3000)..]}");
            var containers = await RunAsync("runc", "--root", Path.Combine(data, node, "runtime", "runc"), "list", "-q");
            Assert.Equal("", containers.Trim());
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(data, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static async Task<string> RunAsync(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output;
    }

    private static async Task<(int ExitCode, string Output)> OrchestratorAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "orchestrator.dll"));
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"orchestrator {string.Join(' ', args)} did not finish in 120 s");
        }
        return (process.ExitCode, await output + await error);
    }
}
