using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Orchestrator.Client;

namespace Orchestrator.Node.Agent;

// Graceful deletion: SIGTERM, the grace period, SIGKILL; then the sandbox goes and the pod object is deleted for good.
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed partial class PodWorker
{
    /// <summary>Returns true once everything is cleaned up (and the pod deleted when asked); false to retry.</summary>
    private async Task<bool> TerminateAsync(JsonObject pod, bool deleteFromApi, CancellationToken token)
    {
        var grace = TimeSpan.FromSeconds(removed ? 0
            : pod.Long("metadata", "deletionGracePeriodSeconds")
              ?? pod.Long("spec", "terminationGracePeriodSeconds") ?? 30);
        await Task.WhenAll(slots.Where(s => s.RuntimeId is not null).Select(async slot =>
        {
            if (!removed)
                context.Events.Normal(pod, "Killing", $"Stopping container {slot.Name}");
            await context.Runtime.StopAsync(slot.RuntimeId!, grace, token).ConfigureAwait(false);
            await context.Runtime.DeleteAsync(slot.RuntimeId!, removeLogs: false, token).ConfigureAwait(false);
            slot.RuntimeId = null;
            slot.Exit = null;
        })).ConfigureAwait(false);
        await context.Sandboxes.TearDownAsync(Uid, token).ConfigureAwait(false);
        sandbox = null;
        foreach (var slot in slots)
        {
            for (var attempt = 0; attempt <= slot.Attempts; attempt++)
                context.Runtime.RemoveLogs($"{Uid}-{slot.Name}-{attempt}");
        }
        if (deleteFromApi)
        {
            try
            {
                // Grace 0 with the uid precondition: remove exactly this pod, never a recreated namesake.
                await context.Client.DeleteAsync(ApiResource.Pods, Namespace, Name,
                    new DeleteOptions { GracePeriodSeconds = 0, PreconditionUid = Uid }, token).ConfigureAwait(false);
            }
            catch (KubeApiException e) when (e.Code is 404 or 409)
            {
            }
        }
        context.Logger.LogInformation("pod {Pod} terminated and cleaned up", Key);
        return true;
    }
}
