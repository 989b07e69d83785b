using System.Text.Json.Nodes;
using Orchestrator.Client;

namespace Orchestrator.Controllers.Tests;

/// <summary>
/// A stand-in for nodes while the branch has none: every pod of one namespace is bound to node-a, then
/// reported Running and Ready with a pod IP; pods marked for deletion are deleted (their "containers"
/// stop at once). Polls, so it needs no informer of its own.
/// </summary>
public sealed class NamespaceKubelet : IAsyncDisposable
{
    private readonly KubeClient client;
    private readonly string ns;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private int nextIp;

    public NamespaceKubelet(KubeClient client, string ns)
    {
        this.client = client;
        this.ns = ns;
        loop = Task.Run(() => RunAsync(stop.Token));
    }

    /// <summary>While false, pods are bound but left Pending (not ready).</summary>
    public bool StartsPods { get; set; } = true;

    private async Task RunAsync(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            try
            {
                foreach (var pod in (await client.ListAsync(ApiResource.Pods, ns, token: token)).Items)
                    await HandleAsync(pod, token);
            }
            catch (Exception) when (!token.IsCancellationRequested)
            {
                // Conflicts and races with the controllers: the next pass looks again.
            }
            try
            {
                await Task.Delay(200, token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task HandleAsync(JsonObject pod, CancellationToken token)
    {
        var name = (string)pod["metadata"]!["name"]!;
        if (pod["metadata"]!["deletionTimestamp"] is not null)
        {
            await client.DeleteAsync(ApiResource.Pods, ns, name, new DeleteOptions { GracePeriodSeconds = 0, PreconditionUid = (string?)pod["metadata"]!["uid"] }, token);
            return;
        }
        if (string.IsNullOrEmpty((string?)pod["spec"]?["nodeName"]))
        {
            await client.CreateSubresourceAsync(ApiResource.Pods, ns, name, "binding", new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Binding",
                ["metadata"] = new JsonObject { ["name"] = name },
                ["target"] = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Node", ["name"] = "node-a" },
            }, token: token);
            return;
        }
        if (!StartsPods || (string?)pod["status"]?["phase"] == "Running")
            return;
        var now = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        JsonObject Condition(string type) => new() { ["type"] = type, ["status"] = "True", ["lastTransitionTime"] = now };
        var ip = Interlocked.Increment(ref nextIp);
        var updated = (JsonObject)pod.DeepClone();
        var containers = pod["spec"]!["containers"]!.AsArray().Select(c => (JsonNode?)new JsonObject
        {
            ["name"] = c!["name"]!.DeepClone(),
            ["image"] = c["image"]?.DeepClone(),
            ["ready"] = true,
            ["started"] = true,
            ["restartCount"] = 0,
            ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = now } },
        });
        updated["status"] = new JsonObject
        {
            ["phase"] = "Running",
            ["hostIP"] = "192.0.2.1",
            ["podIP"] = $"10.244.{ip / 250}.{ip % 250 + 1}",
            ["startTime"] = now,
            ["conditions"] = new JsonArray(Condition("PodScheduled"), Condition("Initialized"), Condition("ContainersReady"), Condition("Ready")),
            ["containerStatuses"] = new JsonArray([.. containers]),
        };
        await client.UpdateAsync(ApiResource.Pods, updated, subresource: "status", token: token);
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            await loop;
        }
        catch (OperationCanceledException)
        {
        }
        stop.Dispose();
    }
}
