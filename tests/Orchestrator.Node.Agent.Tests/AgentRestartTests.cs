using System.Globalization;
using Orchestrator.Client;
using Orchestrator.Node.Runtime;
using Orchestrator.Testing;
using Xunit;

namespace Orchestrator.Node.Agent.Tests;

/// <summary>Containers outlive an agent restart under their shims: the new agent adopts them, running or exited meanwhile.</summary>
[Collection(AgentCollection.Name)]
public sealed class AgentRestartTests(AgentFixture fixture)
{
    [Fact]
    public async Task After_an_agent_restart_a_running_container_keeps_its_process_and_restartCount()
    {
        var ns = await fixture.NamespaceAsync();
        var marker = "marker-" + Guid.NewGuid().ToString("N")[..10];
        await fixture.Client.CreateAsync(ApiResource.Pods, ns, fixture.Pod("survivor", $"sleep 3600; echo {marker}"));
        var before = await fixture.WaitPodAsync(ns, "survivor", p => p.Str("status", "phase") == "Running"
            && p.Condition("Ready").Str("status") == "True");
        var pids = await AgentFixture.WaitPidsAsync(marker);
        var uid = before.Str("metadata", "uid") ?? "";

        await fixture.RestartAgentAsync();

        // The new agent watches the very container the old one started...
        var adopted = Assert.Single(fixture.Agent.Runtime.List(), c => c.PodId == uid);
        Assert.Equal(ContainerState.Running, adopted.State);
        // ...and after a few syncs and status updates has neither restarted nor reported it lost.
        await Task.Delay(TimeSpan.FromSeconds(4));
        var after = await fixture.WaitPodAsync(ns, "survivor", _ => true);
        var status = after.Items("status", "containerStatuses").First();
        var was = before.Items("status", "containerStatuses").First();
        Assert.Equal(0, status.Long("restartCount"));
        Assert.Equal("True", after.Condition("Ready").Str("status"));
        Assert.Equal(was.Str("containerID") ?? "", status.Str("containerID") ?? "");
        Assert.Equal(was.Str("state", "running", "startedAt") ?? "", status.Str("state", "running", "startedAt") ?? "");
        Assert.Null(status.Obj("lastState", "terminated"));
        Assert.Equal(before.Str("status", "podIP") ?? "", after.Str("status", "podIP") ?? "");
        Assert.Equal(pids.Order(), AgentFixture.Pids(marker).Order());
    }

    [Fact]
    public async Task A_container_that_exits_while_the_agent_is_down_is_reported_with_its_exit_code_and_restarted()
    {
        var ns = await fixture.NamespaceAsync();
        var marker = "marker-" + Guid.NewGuid().ToString("N")[..10];
        await fixture.Client.CreateAsync(ApiResource.Pods, ns, fixture.Pod("leaver", $"trap 'exit 7' TERM; while true; do sleep 0.2; done; echo {marker}"));
        await fixture.WaitPodAsync(ns, "leaver", p => p.Condition("Ready").Str("status") == "True");
        var pids = await AgentFixture.WaitPidsAsync(marker);

        await fixture.First.StopAsync();
        foreach (var pid in pids)
            await ExternalCommand.RunAsync("kill", ["-TERM", pid.ToString(CultureInfo.InvariantCulture)], CancellationToken.None);
        await Eventually.HoldsAsync(() => Task.FromResult(!AgentFixture.Pids(marker).Intersect(pids).Any()), TimeSpan.FromSeconds(10));
        await fixture.RestartAgentAsync();

        var after = await fixture.WaitPodAsync(ns, "leaver", p =>
            p.Items("status", "containerStatuses").First().Long("restartCount") == 1
            && p.Condition("Ready").Str("status") == "True");
        var status = after.Items("status", "containerStatuses").First();
        Assert.Equal(7, status.Long("lastState", "terminated", "exitCode"));
        Assert.Equal("Error", status.Str("lastState", "terminated", "reason"));
        await AgentFixture.WaitPidsAsync(marker, notAmong: [.. pids]);
    }
}
