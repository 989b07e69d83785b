using System.Security.Cryptography.X509Certificates;
using Orchestrator.Client;
using Orchestrator.Client.Config;
using Orchestrator.Controllers;
using Orchestrator.Controllers.Election;
using Orchestrator.Controllers.Runtime;
using Orchestrator.Server.Security;

namespace Orchestrator.Server.Hosting;

/// <summary>
/// The controller manager (and, later, the scheduler) hosted in every replica process. They reach the
/// cluster only through this replica's own HTTPS API with a client certificate of their own, exactly as
/// an external process would; only the holder of the lease acts.
/// </summary>
public sealed class ControlPlaneHost(
    ServerOptions options,
    ClusterPki pki,
    TimeProvider clock,
    ILoggerFactory loggerFactory,
    ILogger<ControlPlaneHost> logger) : BackgroundService
{
    public const string ControllerManagerLease = "orchestrator-controller-manager";
    public const string SchedulerLease = "orchestrator-scheduler";

    /// <summary>Requests each of the controller manager and the scheduler has in flight at most (watches aside).</summary>
    public const int ControlPlaneRequestsInflight = 64;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.RunControllers)
            return;
        var identity = $"{Environment.MachineName}_{options.RaftEndpoint}";
        await Task.WhenAll(
            RunManagerAsync("system:kube-controller-manager", ControllerManagerLease, identity, () => ControllerCatalog.Create(options.Controllers), stoppingToken),
            RunManagerAsync("system:kube-scheduler", SchedulerLease, identity, () => SchedulerCatalog.Create(options.Controllers), stoppingToken));
    }

    private async Task RunManagerAsync(string user, string lease, string identity, Func<IReadOnlyList<IController>> controllers, CancellationToken stoppingToken)
    {
        using var client = CreateClient(user, lease, ControlPlaneRequestsInflight);
        using var electionClient = CreateClient(user, lease, maxConcurrentRequests: 0);
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
            options.Controllers,
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

    /// <summary>A client of this replica's own API, authenticated by a certificate from the cluster CA.</summary>
    private KubeClient CreateClient(string user, string program, int maxConcurrentRequests)
    {
        using var certificate = pki.IssueClientCertificate(user, []);
        using var key = certificate.GetECDsaPrivateKey()!;
        var config = new Kubeconfig
        {
            Server = new Uri($"https://{(options.ApiEndpoint.Address.Equals(System.Net.IPAddress.Any) ? "127.0.0.1" : options.ApiEndpoint.Address.ToString())}:{options.ApiEndpoint.Port}"),
            CertificateAuthorityPem = pki.AuthorityPem,
            ClientCertificatePem = certificate.ExportCertificatePem(),
            ClientKeyPem = key.ExportPkcs8PrivateKeyPem(),
        };
        // Bounded like kube-controller-manager's and kube-scheduler's clients (there by QPS and burst): what the
        // control plane asks of the API at once stays well under a replica's in-flight limits.
        return new KubeClient(config, new KubeClientOptions { UserAgent = $"{program}/1.0", MaxConcurrentRequests = maxConcurrentRequests });
    }
}
