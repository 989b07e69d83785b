using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Orchestrator.Client;
using Orchestrator.Node.Images;
using Orchestrator.Node.Runtime;

namespace Orchestrator.Node.Agent;

// One sync: sandbox up, each container reaped / restarted / started per restart policy and back-off, then status posted.
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed partial class PodWorker
{
    private async Task SyncAsync(JsonObject pod, CancellationToken token)
    {
        if (slots.All(s => s.Done))
        {
            await PostStatusAsync(token).ConfigureAwait(false);
            return;
        }
        startTime ??= context.Clock.GetUtcNow();
        if (sandbox is null)
        {
            try
            {
                sandbox = await context.Sandboxes.SetUpAsync(pod, Uid, token).ConfigureAwait(false);
            }
            catch (ContainerSpecs.ConfigException e)
            {
                foreach (var slot in slots)
                    (slot.WaitingReason, slot.WaitingMessage) = ("ContainerCreating", e.Message);
                await PostStatusAsync(token).ConfigureAwait(false);
                return;
            }
        }
        else
        {
            try
            {
                await context.Sandboxes.RefreshAsync(pod, sandbox, token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ContainerSpecs.ConfigException or KubeApiException or HttpRequestException)
            {
                // The old token is good for a fifth of its life yet; the next sync tries again.
                context.Logger.LogWarning("Refreshing the service-account token of pod {Pod} failed: {Error}", Uid, e.Message);
            }
        }
        var specs = pod.Items("spec", "containers").ToDictionary(c => c.Str("name") ?? "", StringComparer.Ordinal);
        foreach (var slot in slots)
        {
            await ReapAsync(pod, slot, token).ConfigureAwait(false);
            if (!slot.Done && slot.RuntimeId is null && specs.TryGetValue(slot.Name, out var spec))
                await StartAsync(pod, spec, slot, token).ConfigureAwait(false);
            if (slot.IsRunning && specs.TryGetValue(slot.Name, out spec))
                await ProbeAsync(pod, spec, slot, token).ConfigureAwait(false);
        }
        await PostStatusAsync(token).ConfigureAwait(false);
    }

    /// <summary>Records an exited container's termination, deletes it (keeping its log) and schedules a restart or marks it done.</summary>
    private async Task ReapAsync(JsonObject pod, ContainerSlot slot, CancellationToken token)
    {
        if (slot.RuntimeId is not { } id || slot.Exit is not { IsCompleted: true } exited)
            return;
        var exit = await exited.ConfigureAwait(false);
        slot.LastTermination = Terminated(exit.ExitCode, exit.OomKilled ? "OOMKilled" : exit.ExitCode == 0 ? "Completed" : "Error",
            slot.StartedAt, exit.FinishedAt, id);
        slot.Ready = false;
        await context.Runtime.DeleteAsync(id, removeLogs: false, token).ConfigureAwait(false);
        slot.RuntimeId = null;
        slot.Exit = null;
        OnStopped(pod, slot, exit.ExitCode, exit.FinishedAt - slot.StartedAt);
    }

    private void OnStopped(JsonObject pod, ContainerSlot slot, int exitCode, TimeSpan ran)
    {
        var restart = pod.Str("spec", "restartPolicy") switch
        {
            "Never" => false,
            "OnFailure" => exitCode != 0,
            _ => true,
        };
        if (!restart)
        {
            slot.Done = true;
            return;
        }
        // A container that ran well past the longest back-off counts as healthy again (kubelet resets after 10 min).
        if (ran > context.Options.MaxRestartBackoff * 2)
            slot.Failures = 0;
        var delay = slot.RestartDelay(context.Options.InitialRestartBackoff, context.Options.MaxRestartBackoff);
        slot.Failures++;
        slot.NextStart = context.Clock.GetUtcNow() + delay;
        if (delay == TimeSpan.Zero)
            return;
        slot.WaitingReason = "CrashLoopBackOff";
        slot.WaitingMessage = $"back-off {FormatDelay(delay)} restarting failed container={slot.Name} pod={pod.Name()}_{pod.Str("metadata", "namespace")}({Uid})";
        context.Events.Warning(pod, "BackOff", $"Back-off restarting failed container {slot.Name} in pod {pod.Name()}_{pod.Str("metadata", "namespace")}({Uid})");
    }

    private async Task StartAsync(JsonObject pod, JsonObject spec, ContainerSlot slot, CancellationToken token)
    {
        var now = context.Clock.GetUtcNow();
        if (now < slot.NextStart)
        {
            // After a failed pull has been reported once, the wait is shown as ImagePullBackOff.
            if (slot.WaitingReason == "ErrImagePull")
                slot.WaitingReason = "ImagePullBackOff";
            return;
        }
        Image image;
        var policy = ContainerSpecs.PullPolicyOf(spec);
        var present = policy != PullPolicy.Always && context.Images.IsPresent(slot.Image);
        if (!present)
            context.Events.Normal(pod, "Pulling", $"Pulling image \"{slot.Image}\"");
        try
        {
            image = await context.Images.EnsureImageAsync(slot.Image, policy, token).ConfigureAwait(false);
        }
        catch (ImagePullException e)
        {
            var delay = slot.Backoff(context.Options.InitialRestartBackoff, context.Options.MaxRestartBackoff);
            slot.Failures++;
            slot.NextStart = now + delay;
            slot.WaitingReason = e.WaitingReason;
            slot.WaitingMessage = e.Message;
            context.Logger.LogInformation("pod {Pod}: pulling {Image} failed: {Reason}", Key, slot.Image, e.Message);
            context.Events.Warning(pod, "Failed", $"Failed to pull image \"{slot.Image}\": {e.Message}");
            context.Events.Normal(pod, "BackOff", $"Back-off pulling image \"{slot.Image}\"");
            return;
        }
        context.Events.Normal(pod, "Pulled", present
            ? $"Container image \"{slot.Image}\" already present on machine"
            : $"Successfully pulled image \"{slot.Image}\" in {FormatDelay(context.Clock.GetUtcNow() - now)}");
        slot.ImageId = image.RepoDigest;
        var id = $"{Uid}-{slot.Name}-{slot.Attempts}";
        ContainerConfig config;
        try
        {
            config = await context.Specs.BuildAsync(pod, spec, id, image, sandbox!, token).ConfigureAwait(false);
        }
        catch (ContainerSpecs.ConfigException e)
        {
            slot.NextStart = now + context.Options.InitialRestartBackoff;
            (slot.WaitingReason, slot.WaitingMessage) = ("CreateContainerConfigError", e.Message);
            context.Events.Warning(pod, "Failed", $"Error: {e.Message}");
            return;
        }
        slot.Attempts++;
        if (slot.LastTermination is not null)
            slot.RestartCount++;
        try
        {
            context.Events.Normal(pod, "Created", $"Created container {slot.Name}");
            var started = await context.Runtime.CreateAndStartAsync(config, token).ConfigureAwait(false);
            context.Events.Normal(pod, "Started", $"Started container {slot.Name}");
            slot.RuntimeId = id;
            slot.LastRuntimeId = id;
            slot.StartedAt = started.StartedAt;
            slot.WaitingReason = slot.WaitingMessage = null;
            ResetProbes(spec, slot);
            slot.Exit = context.Runtime.WaitAsync(id, CancellationToken.None);
            // Exits wake the worker at once, so restarts and phase changes do not wait for the resync.
            _ = slot.Exit.ContinueWith(_ => Wake(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        catch (ContainerStartException e)
        {
            // Like kubelet's StartError: a terminated run with exit code 128, then the restart policy applies.
            var at = context.Clock.GetUtcNow();
            slot.LastTermination = Terminated(128, "StartError", at, at, id);
            slot.LastTermination["message"] = e.Message;
            slot.LastRuntimeId = id;
            context.Events.Warning(pod, "Failed", $"Error: {e.Message}");
            OnStopped(pod, slot, 128, TimeSpan.Zero);
            if (!slot.Done)
                slot.WaitingReason = "RunContainerError";
            slot.WaitingMessage = e.Message;
        }
    }

    private static JsonObject Terminated(int exitCode, string reason, DateTimeOffset startedAt, DateTimeOffset finishedAt, string id) => new()
    {
        ["exitCode"] = exitCode,
        ["reason"] = reason,
        ["startedAt"] = Json.Timestamp(startedAt),
        ["finishedAt"] = Json.Timestamp(finishedAt),
        ["containerID"] = "runc://" + id,
    };

    private static string FormatDelay(TimeSpan delay) =>
        delay >= TimeSpan.FromMinutes(1) && delay.Seconds == 0
            ? delay.TotalMinutes.ToString(CultureInfo.InvariantCulture) + "m0s"
            : Math.Round(delay.TotalSeconds, 1).ToString(CultureInfo.InvariantCulture) + "s";
}
