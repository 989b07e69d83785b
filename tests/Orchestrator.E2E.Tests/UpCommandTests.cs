using System.Diagnostics;
using Orchestrator.Testing;

namespace Orchestrator.E2E.Tests;

/// <summary>The README's first command: `orchestrator up` makes a working cluster and kubeconfig; `down` stops it.</summary>
public sealed class UpCommandTests : IDisposable
{
    private readonly string data = Path.Combine(Path.GetTempPath(), "orchestrator-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task UpDetachedThenKubectlOnEveryContextThenDown()
    {
        var up = await OrchestratorAsync("up", "--data", data, "--detach");
        try
        {
            Assert.True(up.ExitCode == 0, up.Output);
            Assert.Contains("Cluster ready: 3 replica(s).", up.Output);
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
            Assert.Equal("configmap/from-replica-1\nconfigmap/from-replica-2\nconfigmap/from-replica-3\n", listed.Output);

            // Plain `up` comes with two simulated nodes, so a deployment runs right away.
            var deployment = await kubectl.RunAsync("replica-1", "create", "deployment", "hello", "--image=nginx", "--replicas=2");
            Assert.True(deployment.Succeeded, deployment.ToString());
            var rollout = await kubectl.RunAsync("replica-3", ["rollout", "status", "deployment/hello", "--timeout=90s"], timeout: TimeSpan.FromSeconds(120));
            Assert.True(rollout.Succeeded, rollout.ToString());
            var nodes = await kubectl.RunAsync("replica-2", "get", "nodes", "-o", "name");
            Assert.Equal("node/sim-0\nnode/sim-1\n", nodes.Output);

            var again = await OrchestratorAsync("up", "--data", data, "--detach");
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
