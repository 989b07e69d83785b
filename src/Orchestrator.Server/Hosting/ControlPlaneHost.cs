using Orchestrator.Controllers;
using Orchestrator.Controllers.Election;
using Orchestrator.Controllers.Runtime;

namespace Orchestrator.Server.Hosting;

/// <summary>
/// The controller manager (and, later, the scheduler) hosted in every replica process. They reach the
/// cluster only through this replica's own HTTPS API with a client certificate of their own, exactly as
/// an external process would; only the holder of the lease acts.
/// </summary>
public sealed class ControlPlaneHost(
    ServerOptions options,
    LocalApiClients clients,
    Security.ClusterPki pki,
    TimeProvider clock,
    ILoggerFactory loggerFactory,
    ILogger<ControlPlaneHost> logger) : BackgroundService
{
    public const string ControllerManagerLease = "orchestrator-controller-manager";
    public const string SchedulerLease = "orchestrator-scheduler";

    /// <summary>Requests each of the controller manager and the scheduler has in flight at most (watches aside).</summary>
    public const int ControlPlaneRequestsInflight = 64;

    /// <summary>The configured settings plus what only this process knows: the CA that kube-root-ca.crt publishes.</summary>
    private Controllers.Runtime.ControllerSettings Settings => options.Controllers with { RootCaPem = pki.AuthorityPem };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.RunControllers)
            return;
        var identity = $"{Environment.MachineName}_{options.RaftEndpoint}";
        await Task.WhenAll(
            RunManagerAsync("system:kube-controller-manager", ControllerManagerLease, identity, () => ControllerCatalog.Create(Settings), stoppingToken),
            RunManagerAsync("system:kube-scheduler", SchedulerLease, identity, () => SchedulerCatalog.Create(Settings), stoppingToken));
    }

    private async Task RunManagerAsync(string user, string lease, string identity, Func<IReadOnlyList<IController>> controllers, CancellationToken stoppingToken)
    {
        // Bounded like kube-controller-manager's and kube-scheduler's clients (there by QPS and burst): what the
        // control plane asks of the API at once stays well under a replica's in-flight limits.
        using var client = clients.Create(user, lease, ControlPlaneRequestsInflight);
        using var electionClient = clients.Create(user, lease, maxConcurrentRequests: 0);
        var manager = new ControllerManager(
            client,
            new LeaderElectionOptions
            {
                LeaseName = lease,
                Identity = identity,
                LeaseDuration = options.LeaseDuration,
                RenewDeadline = options.RenewDeadline,
                RetryPeriod = options.RetryPeriod,
            },
            controllers,
            Settings,
            clock,
            loggerFactory,
            electionClient);
        try
        {
            await manager.RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogError(e, "{Lease} stopped", lease);
        }
    }
}
