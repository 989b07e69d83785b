using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Orchestrator.Client;
using Orchestrator.Client.Informers;

namespace Orchestrator.Controllers.Tests;

/// <summary>
/// A stand-in for scheduler and node agents in controller tests: binds unbound pods to a default node,
/// reports them Running with a pod IP and Ready (unless a test said otherwise), finishes pods labelled
/// <see cref="FinishLabel"/> with that phase, and completes graceful deletions with a delete of grace 0.
/// </summary>
public sealed class TestKubelet : IAsyncDisposable
{
    /// <summary>A pod with this label ("Succeeded" or "Failed") ends in that phase once running.</summary>
    public const string FinishLabel = "test.orchestrator.io/finish";

    private readonly KubeClient client;
    private readonly string defaultNode;
    private readonly Informer informer;
    private readonly Channel<string> keys = Channel.CreateUnbounded<string>();
    private readonly ConcurrentDictionary<string, bool> readiness = new();
    private readonly ConcurrentDictionary<string, string> addresses = new();
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private int nextAddress;

    public TestKubelet(KubeClient client, string defaultNode)
    {
        this.client = client;
        this.defaultNode = defaultNode;
        informer = new Informer(client, ApiResource.Pods, null, (change, _) =>
        {
            keys.Writer.TryWrite(Key(change.Object));
            return ValueTask.CompletedTask;
        });
        informer.Start();
        loop = Task.Run(() => RunAsync(stop.Token));
    }

    /// <summary>Turns the pod's Ready condition on or off (it starts Ready).</summary>
    public void SetReady(string ns, string name, bool ready)
    {
        readiness[$"{ns}/{name}"] = ready;
        keys.Writer.TryWrite($"{ns}/{name}");
    }

    private async Task RunAsync(CancellationToken token)
    {
        await foreach (var key in keys.Reader.ReadAllAsync(token))
        {
            try
            {
                await SyncAsync(key, token);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (KubeApiException e) when (e.Code is 404)
            {
            }
            catch (Exception)
            {
                // A conflict or a replica hiccup: look again shortly.
                _ = Task.Delay(100, token).ContinueWith(_ => keys.Writer.TryWrite(key), TaskScheduler.Default);
            }
        }
    }

    private async Task SyncAsync(string key, CancellationToken token)
    {
        var slash = key.IndexOf('/');
        var (ns, name) = (key[..slash], key[(slash + 1)..]);
        var pod = informer.Get(ns, name);
        if (pod is null)
            return;
        if (pod["metadata"]?["deletionTimestamp"] is not null)
        {
            await client.DeleteAsync(ApiResource.Pods, ns, name, new DeleteOptions { GracePeriodSeconds = 0, PreconditionUid = (string?)pod["metadata"]!["uid"] }, token);
            return;
        }
        if (string.IsNullOrEmpty((string?)pod["spec"]?["nodeName"]))
        {
            await client.CreateSubresourceAsync(ApiResource.Pods, ns, name, "binding",
                new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Binding", ["metadata"] = new JsonObject { ["name"] = name }, ["target"] = new JsonObject { ["kind"] = "Node", ["name"] = defaultNode } },
                token: token);
            return;
        }
        var phase = (string?)pod["status"]?["phase"];
        if (phase is "Succeeded" or "Failed")
            return;
        var finish = (string?)pod["metadata"]?["labels"]?[FinishLabel];
        var ready = finish is null && readiness.GetValueOrDefault(key, true);
        var wantPhase = finish ?? "Running";
        var ip = addresses.GetOrAdd((string)pod["metadata"]!["uid"]!, _ => NextAddress());
        var readyNow = (pod["status"]?["conditions"] as JsonArray ?? []).Any(c => (string?)c?["type"] == "Ready" && (string?)c?["status"] == "True");
        if (phase == wantPhase && (string?)pod["status"]?["podIP"] == ip && readyNow == ready)
            return;
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        var updated = (JsonObject)pod.DeepClone();
        updated["status"] = new JsonObject
        {
            ["phase"] = wantPhase,
            ["podIP"] = ip,
            ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = ip }),
            ["hostIP"] = "192.0.2.10",
            ["startTime"] = (string?)pod["status"]?["startTime"] ?? now,
            ["conditions"] = new JsonArray(
                Condition("PodScheduled", true, now),
                Condition("Initialized", true, now),
                Condition("ContainersReady", ready, now),
                Condition("Ready", ready, now)),
        };
        await client.UpdateAsync(ApiResource.Pods, updated, subresource: "status", token: token);
    }

    private string NextAddress()
    {
        var n = Interlocked.Increment(ref nextAddress);
        return $"10.244.{n / 250}.{n % 250 + 1}";
    }

    private static JsonObject Condition(string type, bool value, string now) => new()
    {
        ["type"] = type,
        ["status"] = value ? "True" : "False",
        ["lastProbeTime"] = null,
        ["lastTransitionTime"] = now,
    };

    private static string Key(JsonObject pod) => $"{pod["metadata"]?["namespace"]}/{pod["metadata"]?["name"]}";

    public async ValueTask DisposeAsync()
    {
        stop.Cancel();
        keys.Writer.TryComplete();
        try
        {
            await loop;
        }
        catch (OperationCanceledException)
        {
        }
        await informer.DisposeAsync();
        stop.Dispose();
    }
}
