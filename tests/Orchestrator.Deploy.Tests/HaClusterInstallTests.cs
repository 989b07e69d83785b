using System.Security.Cryptography.X509Certificates;
using Orchestrator.Server.Security;
using Orchestrator.Server.Security.Joining;
using Orchestrator.Testing;

namespace Orchestrator.Deploy.Tests;

/// <summary>
/// deploy/install's scripts, as Vagrant runs them, on three control-plane "machines" and one node "machine" (network
/// namespaces with their own addresses and root folders): the HA cluster serves kubectl on every address, runs a
/// deployment of busybox on the node, and keeps serving, with the pods running, when one machine's processes die.
/// </summary>
public sealed class HaClusterInstallTests : IAsyncLifetime
{
    private static readonly string[] ControlPlanes = ["cp1", "cp2", "cp3"];
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(3);

    private NamespaceMachines machines = null!;
    private TestRegistry registry = null!;

    public async Task InitializeAsync()
    {
        machines = await NamespaceMachines.CreateAsync([.. ControlPlanes, "node1"]);
        registry = await TestRegistry.StartAsync(host: machines.Gateway);
        await registry.PushAsync(BusyboxImage.Build(), "busybox");
    }

    public async Task DisposeAsync()
    {
        if (machines is not null)
            await machines.DisposeAsync();
        if (registry is not null)
            await registry.DisposeAsync();
    }

    [Fact]
    public async Task ThreeControlPlaneMachinesAndANodeFormAClusterThatSurvivesAMachine()
    {
        Assert.True(Environment.UserName == "root", "network namespaces need root");
        var scripts = Path.Combine(AppContext.BaseDirectory, "deploy", "install");
        var build = AppContext.BaseDirectory;
        foreach (var machine in ControlPlanes)
        {
            await machines.RunOnAsync(machine, ScriptTimeout, "bash", Path.Combine(scripts, "install.sh"), "--root", machines.Root(machine), "--from", build,
                "replica", $"ORCH_NAME={machine}", $"ORCH_ADDRESS={machines.Address(machine)}",
                // Shorter lease timings than the defaults, so the controllers move to a survivor within the test.
                "ORCH_EXTRA_ARGS=--leader-elect-lease-duration 4 --leader-elect-renew-deadline 3 --leader-elect-retry-period 1");
        }
        await machines.RunOnAsync("node1", ScriptTimeout, "bash", Path.Combine(scripts, "install.sh"), "--root", machines.Root("node1"), "--from", build,
            "node", "ORCH_NAME=node1", $"ORCH_ADDRESS={machines.Address("node1")}", "ORCH_POD_CIDR=10.89.0.0/24",
            $"ORCH_BRIDGE=dmp{machines.Id}", $"ORCH_CGROUP_PARENT=orchestrator-{machines.Id}",
            $"ORCH_REGISTRY={registry.Address}", $"ORCH_INSECURE_REGISTRY={registry.Address}", "ORCH_EXTRA_ARGS=--stop-pods-on-exit");

        var servers = string.Join(' ', ControlPlanes.Select(m => $"https://{machines.Address(m)}:6443"));
        var provision = Path.Combine(scripts, "provision.sh");
        // Tokens chosen ahead, as Vagrant's provisioning does; the CA hash passed along, as a person would.
        var tokens = ControlPlanes.Skip(1).Append("node1").ToDictionary(m => m, _ => BootstrapToken.Generate().ToString());
        await machines.RunOnAsync("cp1", ScriptTimeout, "bash", provision, "--root", machines.Root("cp1"), "first", "--servers", servers,
            "--replica-tokens", $"{tokens["cp2"]} {tokens["cp3"]}", "--node-tokens", $"node1={tokens["node1"]}");
        using var authority = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(machines.Root("cp1"), "var", "lib", "orchestrator", "pki", ClusterPki.CaCertificateFile)));
        var hash = ClusterInfo.CaHash(authority);

        // A wrong hash: the token is not sent and nothing is written.
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => machines.RunOnAsync("cp2", ScriptTimeout, "bash", provision,
            "--root", machines.Root("cp2"), "replica", "--first", machines.Address("cp1"), "--token", tokens["cp2"], "--ca-cert-hash", "sha256:" + new string('0', 64)));
        Assert.Contains("refusing to send the token", refused.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(machines.Root("cp2"), "var", "lib", "orchestrator", "pki", ClusterPki.CaKeyFile)));

        foreach (var machine in ControlPlanes.Skip(1))
        {
            await machines.RunOnAsync(machine, ScriptTimeout, "bash", provision, "--root", machines.Root(machine),
                "replica", "--first", machines.Address("cp1"), "--token", tokens[machine], "--ca-cert-hash", hash);
        }
        await machines.RunOnAsync("node1", ScriptTimeout, "bash", provision, "--root", machines.Root("node1"),
            "node", "--server", $"https://{machines.Address("cp1")}:6443", "--token", tokens["node1"], "--ca-cert-hash", hash);

        // No CA key on the node: it holds only its own kubeconfig, whose certificate names it.
        Assert.False(Directory.Exists(Path.Combine(machines.Root("node1"), "var", "lib", "orchestrator", "pki")));
        var home = Path.Combine(machines.Folder, "home");
        Directory.CreateDirectory(home);
        var kubectl = new Kubectl(Path.Combine(machines.Root("cp1"), "etc", "orchestrator", "admin.conf"), home);
        var contexts = ControlPlanes.Select((_, i) => $"replica-{i + 1}").ToArray();

        // Every machine's address serves the same cluster: three members, one node.
        foreach (var context in contexts)
        {
            await Eventually.HoldsAsync(async () =>
                (await kubectl.RunAsync(context, "get", "nodes", "-o", "name")).Output.Contains("node/node1", StringComparison.Ordinal),
                TimeSpan.FromSeconds(60), () => Logs());
        }
        var members = await machines.RunOnAsync("cp1", TimeSpan.FromSeconds(30), Path.Combine(machines.Root("cp1"), "opt", "orchestrator", "bin", "orchestrator"),
            "member", "list", "--pki", Path.Combine(machines.Root("cp1"), "var", "lib", "orchestrator", "pki"), "--via", $"{machines.Address("cp1")}:8001");
        foreach (var machine in ControlPlanes)
            Assert.Contains($"{machines.Address(machine)}:7001", members, StringComparison.Ordinal);
        // The last to join restarts as a member of all three (membership is seeded at start, not kept on disk).
        var peers = File.ReadAllLines(Path.Combine(machines.Root("cp3"), "etc", "orchestrator", "replica.env")).Last(l => l.StartsWith("ORCH_PEERS=", StringComparison.Ordinal));
        foreach (var machine in ControlPlanes)
            Assert.Contains($"{machines.Address(machine)}:7001", peers, StringComparison.Ordinal);

        var created = await kubectl.RunAsync(contexts[1], "create", "deployment", "web", "--image=busybox", "--replicas=2", "--", "sleep", "3600");
        Assert.True(created.Succeeded, created.ToString());
        await Eventually.HoldsAsync(async () => await RunningPodsAsync(kubectl, contexts[2]) == 2, TimeSpan.FromSeconds(120),
            () => kubectl.RunAsync(contexts[2], "get", "pods", "-o", "wide").Result + Logs());

        var before = await kubectl.RunAsync(contexts[0], "exec", "deploy/web", "--", "echo", "alive");
        Assert.True(before.Succeeded && before.Output.Trim() == "alive", before + Logs());

        // The first machine fails: its processes are killed. It made the cluster, so it is usually the Raft leader,
        // and it is the server the node's kubeconfig names first (the agent must fail over to another).
        machines.Kill("cp1");
        var survivors = contexts[1..];
        foreach (var context in survivors)
        {
            await Eventually.HoldsAsync(async () =>
                (await kubectl.RunAsync(context, "create", "configmap", $"after-{context}", "--from-literal=k=v")).Succeeded,
                TimeSpan.FromSeconds(60), () => Logs());
            var read = await kubectl.RunAsync(context, "get", "configmap", $"after-{survivors[0]}", "-o", "jsonpath={.data.k}");
            Assert.Equal("v", read.Output);
        }
        // The pods' containers still run: a command runs in each (exec reaches the node through a surviving replica).
        var pods = (await kubectl.RunAsync(survivors[0], "get", "pods", "-l", "app=web", "-o", "name")).Output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, pods.Length);
        foreach (var pod in pods)
        {
            var exec = await kubectl.RunAsync(survivors[0], "exec", pod, "--", "echo", "alive");
            Assert.True(exec.Succeeded && exec.Output.Trim() == "alive", exec + Logs());
        }
        // The deployment can still be changed and the controllers (moved to a survivor if they were on the leader) act.
        var scaled = await kubectl.RunAsync(survivors[1], "scale", "deployment", "web", "--replicas=3");
        Assert.True(scaled.Succeeded, scaled.ToString());
        await Eventually.HoldsAsync(async () => await RunningPodsAsync(kubectl, survivors[0]) == 3, TimeSpan.FromSeconds(120),
            () => kubectl.RunAsync(survivors[0], "get", "pods", "-o", "wide").Result + Logs());
    }

    private static async Task<int> RunningPodsAsync(Kubectl kubectl, string context)
    {
        // Running and Ready: a container that fails to start still leaves its pod in phase Running for a while.
        var ready = await kubectl.RunAsync(context, "get", "pods", "-l", "app=web", "-o",
            "jsonpath={range .items[*]}{.status.phase}/{.status.conditions[?(@.type==\"Ready\")].status} {end}");
        return ready.Output.Split(' ', StringSplitOptions.RemoveEmptyEntries).Count(p => p == "Running/True");
    }

    private string Logs() => string.Join("\n", machines.Names.SelectMany(m =>
        Directory.Exists(Path.Combine(machines.Root(m), "var", "log"))
            ? Directory.GetFiles(Path.Combine(machines.Root(m), "var", "log"), "*.log").Select(f => $"--- {m} {Path.GetFileName(f)}\n{Tail(f)}")
            : []));

    private static string Tail(string path)
    {
        var lines = File.ReadAllLines(path);
        return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - 30)));
    }
}
