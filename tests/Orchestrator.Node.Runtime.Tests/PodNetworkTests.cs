using System.Text;
using Orchestrator.Node.Network;
using Orchestrator.Node.Runtime;
using Xunit;

namespace Orchestrator.Node.Runtime.Tests;

/// <summary>
/// Real network namespaces, veth pairs and a bridge. Every test uses its own bridge name, namespace prefix
/// and a 10.250.X.0/24 range, and deletes all it created, so it never meets a real node's network.
/// </summary>
public sealed class PodNetworkTests : IAsyncLifetime
{
    private readonly string tag = Guid.NewGuid().ToString("N")[..8];
    private readonly string stateDirectory;
    private readonly PodNetworkOptions options;
    private readonly PodNetwork network;

    public PodNetworkTests()
    {
        Host.Require();
        stateDirectory = Directory.CreateTempSubdirectory("orch-net-").FullName;
        options = new PodNetworkOptions
        {
            BridgeName = "ot" + tag,
            PodCidr = $"10.250.{Random.Shared.Next(1, 255)}.0/24",
            StateDirectory = stateDirectory,
            NamespacePrefix = $"ot{tag}-",
        };
        network = new PodNetwork(options);
    }

    [Fact]
    public async Task Two_pods_get_distinct_addresses_and_reach_each_other()
    {
        await network.EnsureBridgeAsync(TestRuntime.Timeout());
        var a = await network.SetUpAsync("pod-a", TestRuntime.Timeout());
        var b = await network.SetUpAsync("pod-b", TestRuntime.Timeout());

        Assert.NotEqual(a.Address, b.Address);
        Assert.True(network.Range.Contains(a.Address) && network.Range.Contains(b.Address));
        Assert.Equal(network.Range.Gateway, a.Gateway);
        Assert.True(File.Exists(a.NamespacePath));

        await using var host = new TestRuntime();
        var server = host.Container("server", "sh", "-c", "echo ready; while true; do sleep 0.1; done") with
        {
            PodId = "pod-a",
            NetworkNamespacePath = a.NamespacePath,
        };
        await host.Runtime.CreateAndStartAsync(server, TestRuntime.Timeout());
        var client = host.Container("client", "ping", "-c", "1", "-W", "5", a.Address.ToString()) with
        {
            PodId = "pod-b",
            NetworkNamespacePath = b.NamespacePath,
        };
        await host.Runtime.CreateAndStartAsync(client, TestRuntime.Timeout());

        var exit = await host.Runtime.WaitAsync("client", TestRuntime.Timeout());
        Assert.True(exit.ExitCode == 0, await File.ReadAllTextAsync(host.Runtime.LogPath("client")));

        // The server's own view: eth0 carries its address, the default route goes via the bridge.
        using var output = new MemoryStream();
        var code = await host.Runtime.ExecAsync("server", ["sh", "-c", "ip addr show eth0; ip route"], null, output, Stream.Null, TestRuntime.Timeout());
        var text = Encoding.UTF8.GetString(output.ToArray());
        Assert.Equal(0, code);
        Assert.Contains($"inet {a.Address}/24", text);
        Assert.Contains($"default via {network.Range.Gateway}", text);
    }

    [Fact]
    public async Task Addresses_survive_a_restart_and_teardown_frees_everything()
    {
        await network.EnsureBridgeAsync(TestRuntime.Timeout());
        var first = await network.SetUpAsync("pod-a", TestRuntime.Timeout());

        // A new instance over the same state directory is the agent after a restart.
        var restarted = new PodNetwork(options);
        await restarted.EnsureBridgeAsync(TestRuntime.Timeout());
        var again = await restarted.SetUpAsync("pod-a", TestRuntime.Timeout());
        var other = await restarted.SetUpAsync("pod-b", TestRuntime.Timeout());

        Assert.Equal(first.Address, again.Address);
        Assert.NotEqual(first.Address, other.Address);

        await restarted.TearDownAsync("pod-a", TestRuntime.Timeout());
        Assert.False(File.Exists(first.NamespacePath));
        var links = await ExternalCommand.RunAsync("ip", ["link", "show", "dev", first.HostInterface], TestRuntime.Timeout());
        Assert.False(links.Succeeded);
        Assert.DoesNotContain(first.Address, (await restarted.Addresses.ListAsync(TestRuntime.Timeout())).Keys);
        await restarted.TearDownAsync("pod-a", TestRuntime.Timeout());
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // IAsyncLifetime, not IAsyncDisposable: xunit 2 does not call DisposeAsync on test classes.
    public async Task DisposeAsync()
    {
        foreach (var pod in new[] { "pod-a", "pod-b" })
            await network.TearDownAsync(pod, TestRuntime.Timeout());
        await network.DeleteBridgeAsync(TestRuntime.Timeout());
        Directory.Delete(stateDirectory, recursive: true);
    }
}
