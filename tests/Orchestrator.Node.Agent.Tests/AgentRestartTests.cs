using Orchestrator.Client;
using Xunit;

namespace Orchestrator.Node.Agent.Tests;

/// <summary>An agent that restarts finds its pods again: orphaned containers are removed and started afresh.</summary>
[Collection(AgentCollection.Name)]
public sealed class AgentRestartTests(AgentFixture fixture)
{
    [Fact]
    public async Task After_an_agent_restart_pods_run_again_with_a_higher_restartCount()
    {
        var ns = await fixture.NamespaceAsync();
        var marker = "marker-" + Guid.NewGuid().ToString("N")[..10];
        await fixture.Client.CreateAsync(ApiResource.Pods, ns, fixture.Pod("survivor", $"sleep 3600; echo {marker}"));
        var before = await fixture.WaitPodAsync(ns, "survivor", p => JsonFields.Str(p, "status", "phase") == "Running"
            && JsonFields.Str(JsonFields.Condition(p, "Ready"), "status") == "True");
        var pids = await AgentFixture.WaitPidsAsync(marker);

        await fixture.RestartAgentAsync();

        var after = await fixture.WaitPodAsync(ns, "survivor", p =>
            JsonFields.IntOrNull(JsonFields.Objects(p, "status", "containerStatuses").First(), "restartCount") >= 1
            && JsonFields.Str(JsonFields.Condition(p, "Ready"), "status") == "True");
        Assert.Equal(JsonFields.Str(before, "status", "podIP"), JsonFields.Str(after, "status", "podIP"));
        Assert.Equal("ContainerStatusUnknown",
            JsonFields.Str(JsonFields.Objects(after, "status", "containerStatuses").First(), "lastState", "terminated", "reason"));
        await AgentFixture.WaitPidsAsync(marker, notAmong: [.. pids]);
    }
}
