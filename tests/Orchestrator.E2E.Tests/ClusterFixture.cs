using Orchestrator.Testing;

namespace Orchestrator.E2E.Tests;

/// <summary>One 3-replica cluster shared by the tests of a class; each test works in its own namespace.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public ApiCluster Cluster { get; private set; } = null!;

    public Kubectl Kubectl { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cluster = await ApiCluster.StartAsync(3);
        Kubectl = Kubectl.For(Cluster);
    }

    public async Task DisposeAsync()
    {
        if (Cluster is not null)
            await Cluster.DisposeAsync();
    }

    public string Context(int replica) => $"replica-{replica}";

    /// <summary>Runs kubectl and fails the test with its output when it does not succeed.</summary>
    public async Task<string> OkAsync(int replica, params string[] args)
    {
        var result = await Kubectl.RunAsync(Context(replica), args);
        Assert.True(result.Succeeded, $"kubectl {string.Join(' ', args)} on replica-{replica}: {result}");
        return result.Output;
    }

    public async Task<string> OkWithInputAsync(int replica, string stdin, params string[] args)
    {
        var result = await Kubectl.RunAsync(Context(replica), args, stdin);
        Assert.True(result.Succeeded, $"kubectl {string.Join(' ', args)} on replica-{replica}: {result}");
        return result.Output;
    }

    /// <summary>Runs kubectl expecting failure and returns what it printed on stderr.</summary>
    public async Task<string> FailsAsync(int replica, string? stdin, params string[] args)
    {
        var result = await Kubectl.RunAsync(Context(replica), args, stdin);
        Assert.False(result.Succeeded, $"kubectl {string.Join(' ', args)} on replica-{replica} should have failed: {result}");
        return result.Error;
    }

    /// <summary>A fresh namespace, made through the given replica.</summary>
    public async Task<string> NamespaceAsync(int replica)
    {
        var name = $"t{Guid.NewGuid():N}"[..12];
        await OkAsync(replica, "create", "namespace", name);
        return name;
    }
}
