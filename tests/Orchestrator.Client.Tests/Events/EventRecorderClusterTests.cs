using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Client.Events;
using Xunit;

namespace Orchestrator.Client.Tests.Events;

/// <summary>The recorder's create and merge-patch bump against real replicas.</summary>
public sealed class EventRecorderClusterTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task ARepeatBumpsTheCountOfTheStoredEvent()
    {
        var client = fixture.Clients[0];
        var ns = await Objects.NewNamespaceAsync(client, Objects.Timeout());
        var involved = Objects.ConfigMap(ns, "cm");
        involved["metadata"]!["uid"] = Guid.NewGuid().ToString();
        var recorder = new EventRecorder(client, "test-recorder", TimeProvider.System, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var running = recorder.RunAsync(2, stop.Token);
        try
        {
            recorder.Warning(involved, "Broken", "it broke");
            await WaitAsync(() => recorder.Written == 1);
            recorder.Warning(involved, "Broken", "it broke");
            await WaitAsync(() => recorder.Written == 2);
        }
        finally
        {
            stop.Cancel();
            await running;
        }

        var stored = Assert.Single((await client.ListAsync(ApiResource.Events, ns, token: Objects.Timeout())).Items);
        Assert.Equal((2, "it broke", "Warning", "test-recorder"),
            ((int)stored["count"]!, (string?)stored["message"], (string?)stored["type"], (string?)stored["source"]!["component"]));
        Assert.Equal("cm", (string?)stored["involvedObject"]!["name"]);
        Assert.Equal(0, recorder.Dropped);
    }

    private static async Task WaitAsync(Func<bool> condition)
    {
        for (var i = 0; i < 1000 && !condition(); i++)
            await Task.Delay(10);
        Assert.True(condition());
    }
}
