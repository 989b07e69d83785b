using Microsoft.Extensions.Logging;
using Orchestrator.Client;
using Orchestrator.Controllers.Election;
using Orchestrator.Controllers.Runtime;

namespace Orchestrator.Controllers;

/// <summary>
/// Runs a set of controllers while this process holds a lease, like kube-controller-manager: every replica
/// runs a manager, one leads. Each term starts from fresh caches, so nothing stale from an earlier term
/// (when another replica may have changed things) is acted on.
/// </summary>
/// <param name="electionClient">
/// The lease's own client, apart from the controllers' (as kube-controller-manager's): a renewal must not wait behind
/// the controllers' requests, or a busy term ends for want of a renewal. Null: the controllers' client.
/// </param>
public sealed class ControllerManager(
    KubeClient client,
    LeaderElectionOptions election,
    Func<IReadOnlyList<IController>> controllers,
    ControllerSettings settings,
    TimeProvider clock,
    ILoggerFactory loggerFactory,
    KubeClient? electionClient = null)
{
    private readonly ILogger logger = loggerFactory.CreateLogger<ControllerManager>();

    public LeaderElector Elector { get; } = new(electionClient ?? client, election, clock, loggerFactory.CreateLogger<LeaderElector>());

    public Task RunAsync(CancellationToken token) => Elector.RunAsync(LeadAsync, token);

    private async Task LeadAsync(CancellationToken term)
    {
        await using var informers = new SharedInformers(client);
        var context = new ControllerContext(client, informers, clock, settings, loggerFactory);
        var running = controllers();
        foreach (var controller in running)
            controller.Register(context);
        await informers.StartAsync(term).ConfigureAwait(false);
        logger.LogInformation("{Lease}: caches synced, starting {Count} controllers", election.LeaseName, running.Count);
        await Task.WhenAll(running.Select(c => RunOneAsync(c, context, term))).ConfigureAwait(false);
    }

    private async Task RunOneAsync(IController controller, ControllerContext context, CancellationToken term)
    {
        try
        {
            await controller.RunAsync(context, term).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (term.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogError(e, "Controller {Controller} stopped", controller.Name);
            throw;
        }
    }
}
