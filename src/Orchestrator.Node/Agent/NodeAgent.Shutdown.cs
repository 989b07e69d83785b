using Microsoft.Extensions.Logging;
using Orchestrator.Node.Runtime;

namespace Orchestrator.Node.Agent;

// StopPodsOnExit: an agent that owns its host (`orchestrator up`) leaves no container, namespace or bridge behind.
public sealed partial class NodeAgent
{
    /// <summary>Bound on the whole clean-up beyond the grace period: runc deletes and `ip` calls take milliseconds each.</summary>
    private static readonly TimeSpan ShutdownSlack = TimeSpan.FromSeconds(20);

    /// <summary>
    /// After the pod workers stopped: every container gets SIGTERM, SIGKILL after the grace period, and is deleted (logs
    /// kept); then each pod's namespace and address go, then the bridge and the empty cgroup parent. Best effort: a
    /// failure is logged and the rest still cleaned up.
    /// </summary>
    private async Task StopPodsAsync()
    {
        using var timeout = new CancellationTokenSource(options.ShutdownGracePeriod + ShutdownSlack);
        var token = timeout.Token;
        var containers = Runtime.List();
        await Task.WhenAll(containers.Select(async container =>
        {
            try
            {
                await Runtime.StopAsync(container.Id, options.ShutdownGracePeriod, token).ConfigureAwait(false);
                await Runtime.DeleteAsync(container.Id, removeLogs: false, token).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "could not stop container {Container} on shutdown", container.Id);
            }
        })).ConfigureAwait(false);
        try
        {
            foreach (var pod in (await Network.Addresses.ListAsync(token).ConfigureAwait(false)).Values.Distinct(StringComparer.Ordinal))
                await Network.TearDownAsync(pod, token).ConfigureAwait(false);
            await Network.DeleteBridgeAsync(token).ConfigureAwait(false);
            CgroupStats.RemoveEmpty(runtimeOptions.CgroupRoot, "/" + options.CgroupParent);
            logger.LogInformation("stopped {Count} containers and removed the pods' namespaces and bridge {Bridge}", containers.Count, options.BridgeName);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "could not remove the pod network on shutdown");
        }
    }
}
