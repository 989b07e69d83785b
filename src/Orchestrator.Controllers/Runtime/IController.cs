namespace Orchestrator.Controllers.Runtime;

/// <summary>
/// A control loop. <see cref="Register"/> subscribes to the shared informers it needs; once they have
/// synced, <see cref="RunAsync"/> runs until the leadership term ends (its token is cancelled).
/// </summary>
public interface IController
{
    string Name { get; }

    void Register(ControllerContext context);

    Task RunAsync(ControllerContext context, CancellationToken token);
}
